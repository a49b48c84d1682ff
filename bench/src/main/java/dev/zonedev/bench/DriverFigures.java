package dev.zonedev.bench;

import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PageFaults;
import dev.zonedev.api.Pages;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * The drivers' figures on the real engine: for a pmem fsdax namespace and a device-dax namespace,
 * each after priming as much memory as its memmap (see {@link MemoryPrimer}), the time until the
 * namespace is available (create returned), the first-pfn latency while the background initializes
 * (pmem: directAccess of one page with a pfn; devdax: a 2 MiB pmd fault), and the time until the
 * background published the last struct page ({@code memmap_state} idle) by itself, without a forced
 * sync.
 *
 * <p>Usage: {@code DriverFigures [sizeGiB] [samples] [arch]} (default 64, 200, x86_64).
 */
public final class DriverFigures {
    private static final long GIB = 1L << 30;

    private DriverFigures() {}

    public static void main(String[] args) {
        long gib = args.length > 0 ? Long.parseLong(args[0]) : 64;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String arch = args.length > 2 ? args[2] : "x86_64";
        measure(arch, NamespaceMode.FSDAX, 1, 20); // warm-up: class loading and JIT
        measure(arch, NamespaceMode.DEVDAX, 1, 20);
        System.out.printf(
                "%-8s %-7s %8s %14s %14s %14s %14s%n",
                "driver", "arch", "size", "available ms", "pfn p50 us", "pfn p99 us", "idle ms");
        for (NamespaceMode mode : new NamespaceMode[] {NamespaceMode.FSDAX, NamespaceMode.DEVDAX}) {
            double[] r = measure(arch, mode, gib, samples);
            System.out.printf(
                    "%-8s %-7s %7dG %14.1f %14.1f %14.1f %14.1f%n",
                    mode == NamespaceMode.FSDAX ? "pmem" : "devdax",
                    arch,
                    gib,
                    r[0],
                    r[1],
                    r[2],
                    r[3]);
        }
    }

    /** {available ms, p50 us, p99 us, idle ms}. */
    static double[] measure(String arch, NamespaceMode mode, long gib, int samples) {
        try {
            MemoryPrimer.prime(gib * GIB >>> 6, 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try (Platform platform = Platform.create(EngineConfig.defaults().withArch(arch))) {
            long t0 = System.nanoTime();
            Namespace ns = platform.create(NamespaceSpec.of("ns", gib * GIB, mode));
            long available = System.nanoTime();
            DaxDevice dax = ns.daxDevices().getFirst();
            Optional<PageFaults> faults = dax.pageFaults();
            Random random = new Random(1);
            double[] us = new double[samples];
            for (int i = 0; i < samples; i++) {
                long t = System.nanoTime();
                if (faults.isPresent()) {
                    long blocks = dax.nrPages() * Pages.PAGE_SIZE / FaultSize.PMD.bytes();
                    faults.get()
                            .fault(
                                    (long) (random.nextDouble() * blocks) * FaultSize.PMD.bytes(),
                                    FaultSize.PMD);
                } else {
                    dax.directAccess((long) (random.nextDouble() * dax.nrPages()), 1, true);
                }
                us[i] = (System.nanoTime() - t) / 1e3;
            }
            // when the background finished on its own: the moment its last struct page was
            // published, read from the pagemap, never after a forced sync (which would finish the
            // work in this thread)
            DevicePagemap pagemap = platform.engine().memremap().livePagemaps().iterator().next();
            if (!pagemap.awaitIdle(Duration.ofMinutes(10))) {
                throw new IllegalStateException(
                        "the background did not finish: " + pagemap.failure());
            }
            long idle = pagemap.initDoneAtNanos();
            MemmapControl control = ns.memmapControl().orElseThrow();
            if (control.memmapState() != MemmapState.IDLE) {
                throw new IllegalStateException(
                        "memmap_state not idle after the last page was published");
            }
            Arrays.sort(us);
            return new double[] {
                (available - t0) / 1e6,
                us[samples / 2],
                us[(int) Math.ceil(samples * 0.99) - 1],
                (idle - t0) / 1e6
            };
        }
    }
}
