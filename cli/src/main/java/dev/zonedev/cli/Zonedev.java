package dev.zonedev.cli;

import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.MemmapAudit;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * The {@code zonedev} command's main job on the embedded default: the x86_64 arch, one
 * 64 GiB device range in the physical address space, added asynchronously; pfns synced in
 * the foreground at random offsets while the background initializes; then every struct page
 * audited. Prints a summary and exits 0 when the audit is clean, 1 otherwise. The full
 * command line (namespaces, drivers, workloads, JSON) arrives with the cli issue.
 */
public final class Zonedev {
    private static final long GIB = 1L << 30;

    private Zonedev() {
    }

    public static void main(String[] args) {
        if (args.length > 0) {
            System.err.println("zonedev: this build runs only the default job and takes no arguments (got "
                    + String.join(" ", args) + ")");
            System.exit(2);
        }
        System.exit(runDefault() ? 0 : 1);
    }

    static boolean runDefault() {
        EngineConfig config = EngineConfig.defaults();
        try (Engine engine = Engine.create(config)) {
            PhysicalRange range = new PhysicalRange(1L << 40, 64 * GIB);
            long t0 = System.nanoTime();
            DevicePagemap p = engine.memremapPages(new PagemapRequest(range, 0, Optional.empty(), true));
            long added = System.nanoTime();
            double[] latencies = foregroundFaults(p, 64);
            p.sync();
            long idle = System.nanoTime();
            MemmapAudit audit = p.audit();
            Arrays.sort(latencies);
            System.out.printf("arch %s, workers %d, ranges per worker %d%n", engine.arch().name(), config.workers(),
                    config.rangesPerWorker());
            System.out.printf("%-28s %s%n", "range", range);
            System.out.printf("%-28s %d (%d MiB of memmap in RAM)%n", "pages", range.nrPages(),
                    (range.nrPages() * 64) >> 20);
            System.out.printf("%-28s %.1f ms (async %s)%n", "add returned after", (added - t0) / 1e6, p.async());
            System.out.printf("%-28s %.1f ms%n", "fully initialized after", (idle - t0) / 1e6);
            System.out.printf("%-28s %d by workers, %d in the foreground%n", "pages initialized",
                    p.pagesInitializedByWorkers(), p.pagesInitializedInForeground());
            System.out.printf("%-28s p50 %.1f us, p99 %.1f us, max %.1f us%n", "first-pfn latency",
                    latencies[latencies.length / 2], latencies[(int) Math.ceil(latencies.length * 0.99) - 1],
                    latencies[latencies.length - 1]);
            System.out.printf("%-28s %d pages checked, %d bad, %d of %d sub-ranges not exactly once%n", "audit",
                    audit.pagesChecked(), audit.pagesBad(), audit.subRangesNotExactlyOnce(), audit.subRanges());
            return audit.ok();
        }
    }

    private static double[] foregroundFaults(DevicePagemap p, int count) {
        Random random = new Random();
        long first = p.firstDevicePfn();
        long pages = p.range().endPfn() - first;
        double[] us = new double[count];
        for (int i = 0; i < count; i++) {
            long pfn = first + (long) (random.nextDouble() * pages);
            long t = System.nanoTime();
            p.memmapSync(pfn, 1);
            us[i] = (System.nanoTime() - t) / 1e3;
        }
        return us;
    }
}
