package dev.zonedev.bench;

import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * The engine's headline figures, measured in one process so that they can be read as
 * ratios: time for the add to return (x86_64 async against generic sync), background
 * initialization ns/page with 1 and 2 workers, and memmapSync latency of one page at a
 * random offset right after an async add, at several namespace sizes.
 *
 * <p>Usage: {@code EngineFigures [sizesGiB...]} (default 16 64 256).
 */
public final class EngineFigures {
    private static final long GIB = 1L << 30;
    private static final long BASE = 1L << 40;

    private EngineFigures() {
    }

    public static void main(String[] args) {
        long[] sizes = args.length == 0 ? new long[] {16, 64, 256} : Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        System.out.printf("%-8s %-28s %12s%n", "size", "measure", "value");
        for (long gib : sizes) {
            long bytes = gib * GIB;
            double asyncMs = addReturnMs("x86_64", bytes, 2);
            double syncMs = addReturnMs("generic", bytes, 2);
            System.out.printf("%-8s %-28s %12.3f ms%n", gib + "G", "add returns, x86_64 async", asyncMs);
            System.out.printf("%-8s %-28s %12.3f ms%n", gib + "G", "add returns, generic sync", syncMs);
            System.out.printf("%-8s %-28s %12.5f%n", gib + "G", "async/sync ratio", asyncMs / syncMs);
            for (int workers : new int[] {1, 2}) {
                System.out.printf("%-8s %-28s %12.3f ns/page%n", gib + "G", "background init, " + workers + " worker",
                        initNsPerPage(bytes, workers));
            }
            double[] lat = firstPfnLatencyUs(bytes, 41);
            System.out.printf("%-8s %-28s %12.1f us (p99 %.1f, max %.1f)%n", gib + "G", "memmapSync 1 page p50",
                    lat[0], lat[1], lat[2]);
        }
    }

    private static Engine engine(String arch, int workers) {
        return Engine.create(EngineConfig.defaults().withArch(arch).withWorkers(workers));
    }

    private static PagemapRequest request(long bytes, boolean async) {
        return new PagemapRequest(new PhysicalRange(BASE, bytes), 0, Optional.empty(), async);
    }

    /** Milliseconds until memremapPages returns. */
    static double addReturnMs(String arch, long bytes, int workers) {
        try (Engine engine = engine(arch, workers)) {
            long t0 = System.nanoTime();
            DevicePagemap p = engine.memremapPages(request(bytes, true));
            long t1 = System.nanoTime();
            p.sync();
            return (t1 - t0) / 1e6;
        }
    }

    /** Background initialization (population included) per page, with no foreground help. */
    static double initNsPerPage(long bytes, int workers) {
        try (Engine engine = engine("x86_64", workers)) {
            long t0 = System.nanoTime();
            DevicePagemap p = engine.memremapPages(request(bytes, false));
            long t1 = System.nanoTime();
            return (double) (t1 - t0) / p.range().nrPages();
        }
    }

    /** p50, p99 and max in microseconds of memmapSync of one page at a random offset right after an async add. */
    static double[] firstPfnLatencyUs(long bytes, int samples) {
        Random random = new Random(42);
        double[] us = new double[samples];
        for (int i = 0; i < samples; i++) {
            try (Engine engine = engine("x86_64", Runtime.getRuntime().availableProcessors())) {
                DevicePagemap p = engine.memremapPages(request(bytes, true));
                long pfn = p.firstDevicePfn() + (long) (random.nextDouble() * (p.range().endPfn() - p.firstDevicePfn()));
                long t0 = System.nanoTime();
                p.memmapSync(pfn, 1);
                us[i] = (System.nanoTime() - t0) / 1e3;
            }
        }
        Arrays.sort(us);
        return new double[] {us[samples / 2], us[(int) Math.ceil(samples * 0.99) - 1], us[samples - 1]};
    }
}
