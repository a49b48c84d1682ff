package dev.zonedev.bench;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Compound device-dax pagemaps on the real engine (x86_64, one worker per core): for 2 MiB and 1
 * GiB compound pages with and without vmemmap tail reuse, the time until the add returned
 * (available), until the last struct page was published (fully initialized, background only), the
 * struct pages written per GiB and the vmemmap bytes resident per GiB. Each namespace is an
 * anonymous device-dax namespace created on a platform, so "available" includes the driver's bind.
 * "Without reuse" is the upstream fallback for an altmap: {@code map=dev}, the memmap in the
 * device's own (anonymous) memory, every tail written. Each figure is the median of {@code rounds}
 * rounds, each in a fresh platform, after one discarded round. "Heap retained" is the Java heap the
 * live platform holds after the namespace is initialized, beyond what it held before the create
 * (used heap after a full collection, {@link MemoryMXBean}): the engine's bookkeeping of the
 * namespace (section registry, sub-range states, translation entries), not its off-heap memmap.
 *
 * <p>Usage: {@code CompoundFigures [rounds] [GiB...]} (default 3; 128 GiB at 2M and 1G with and
 * without reuse, then 1G with reuse at 1, 16 and 64 TiB).
 */
public final class CompoundFigures {
    private static final long GIB = 1L << 30;

    private CompoundFigures() {}

    /** One configuration. */
    record Config(long bytes, int order, boolean reuse) {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Config> configs = new ArrayList<>();
        for (int order : new int[] {9, 18}) {
            configs.add(new Config(128 * GIB, order, true));
            configs.add(new Config(128 * GIB, order, false));
        }
        for (long tib : new long[] {1, 16, 64}) {
            configs.add(new Config(tib << 40, 18, true));
        }
        measure(new Config(GIB, 9, true)); // warm-up: class loading and JIT
        System.out.printf(
                Locale.ROOT,
                "%-9s %-6s %-8s %14s %16s %22s %24s %18s %17s%n",
                "size",
                "pages",
                "reuse",
                "available ms",
                "initialized ms",
                "struct pages per GiB",
                "vmemmap resident per GiB",
                "heap retained MiB",
                "section maps KiB");
        for (Config c : configs) {
            measure(c); // discarded
            double[][] r = new double[rounds][];
            for (int i = 0; i < rounds; i++) {
                r[i] = measure(c);
            }
            double gib = (double) c.bytes() / GIB;
            System.out.printf(
                    Locale.ROOT,
                    "%-9s %-6s %-8s %14.1f %16.1f %,22.0f %,22.0f B %18.1f %,17.0f%n",
                    c.bytes() >= (1L << 40)
                            ? (c.bytes() >>> 40) + " TiB"
                            : (c.bytes() >>> 30) + " GiB",
                    c.order() == 9 ? "2M" : "1G",
                    c.reuse() ? "yes" : "no",
                    median(r, 0),
                    median(r, 1),
                    r[0][2] / gib,
                    r[0][3] / gib,
                    median(r, 4) / (1 << 20),
                    r[0][5] / 1024);
        }
    }

    /**
     * {available ms, initialized ms, struct pages written, vmemmap bytes resident, heap bytes
     * retained, bytes of the section registry's sub-section maps}.
     */
    static double[] measure(Config c) {
        EngineConfig config = EngineConfig.defaults().withMaxPhysicalBytes(128L << 40);
        try (Platform platform = Platform.create(config)) {
            long heapBefore = heapUsedAfterGc();
            NamespaceSpec spec =
                    NamespaceSpec.of("dax", c.bytes(), NamespaceMode.DEVDAX)
                            .withAlign(Pages.PAGE_SIZE << c.order())
                            .withOption("map", c.reuse() ? "mem" : "dev");
            long start = System.nanoTime();
            Namespace ns = platform.create(spec);
            double available = (System.nanoTime() - start) / 1e6;
            DevicePagemap p =
                    platform.engine().memremap().pagemapOf(ns.range().startPfn()).orElseThrow();
            if (!p.awaitIdle(Duration.ofMinutes(10))) {
                throw new IllegalStateException("not idle after 10 minutes: " + c);
            }
            if (p.vmemmapReuse() != c.reuse()) {
                throw new IllegalStateException(
                        "reuse " + p.vmemmapReuse() + " (" + p.noReuseReason() + ") for " + c);
            }
            double initialized = (p.initDoneAtNanos() - start) / 1e6;
            long heap = heapUsedAfterGc() - heapBefore;
            return new double[] {
                available,
                initialized,
                p.structPagesWritten(),
                p.vmemmapBytesResident(),
                heap,
                platform.engine().testing().sectionMapBytes()
            };
        }
    }

    /** Used heap after two full collections (the second settles what the first freed). */
    private static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static double median(double[][] rows, int column) {
        double[] v = Arrays.stream(rows).mapToDouble(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }
}
