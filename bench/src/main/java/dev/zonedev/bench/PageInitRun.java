package dev.zonedev.bench;

import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.EngineTesting;
import dev.zonedev.core.MemmapAudit;
import dev.zonedev.core.PageInit;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

/**
 * The warm re-initialization of a whole memmap with each page writer ({@code --page-init fields}
 * and {@code template}) against the limit for writing the same bytes: a native {@code memset} (the
 * C library's, through the FFM linker) and {@code MemorySegment.fill}, of exactly the memmap bytes
 * of the pagemap, in the same process, in rotating order, several rounds. Prints ns/page per
 * variant and each writer's time as a ratio to memset's of the same round, medians over rounds.
 *
 * <p>Per size: one async add of a RAM-memmap namespace at 1 TiB (x86_64, its workers), synced; then
 * each round runs every variant once over the whole memmap, split over {@code --threads} threads by
 * sub-ranges (memset and fill by the same byte slices). The memmap is left re-initialized by the
 * fields writer and audited at the end of each size (every page checked).
 *
 * <p>Usage: {@code PageInitRun [sizeGiB...] [--rounds N] [--threads N]} (default 16 64 256, 7
 * rounds, 1 thread).
 */
public final class PageInitRun {
    private static final long GIB = 1L << 30;
    private static final long BASE = 1L << 40;
    private static final String[] VARIANTS = {"fields", "template", "memset", "fill"};
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MEMSET =
            LINKER.downcallHandle(
                    LINKER.defaultLookup().find("memset").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_LONG),
                    Linker.Option.critical(false));

    private final int threads;
    private final ExecutorService pool;

    private PageInitRun(int threads) {
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads);
    }

    public static void main(String[] args) throws Exception {
        List<Long> sizes = new ArrayList<>();
        int rounds = 7;
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> sizes.add(Long.parseLong(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(16L, 64L, 256L);
        }
        PageInitRun run = new PageInitRun(threads);
        try {
            System.out.printf(
                    Locale.ROOT,
                    "warm re-init of the whole memmap, %d thread(s), %d rounds, medians; ns/page"
                            + " and ratio to memset of the same bytes in the same round%n",
                    threads,
                    rounds);
            System.out.printf(
                    Locale.ROOT,
                    "%8s %9s %8s %8s %8s %8s %10s %10s %10s%n",
                    "size",
                    "memmap",
                    "fields",
                    "template",
                    "memset",
                    "fill",
                    "fields/ms",
                    "templ/ms",
                    "templ/flds");
            run.size(1, 3); // warm-up: compiles both writers, discarded
            for (long gib : sizes) {
                double[] m = run.size(gib, rounds);
                System.out.printf(
                        Locale.ROOT,
                        "%6dG %7dM %8.3f %8.3f %8.3f %8.3f %10.2f %10.2f %10.2f%n",
                        gib,
                        (gib * GIB / 4096 * 64) >> 20,
                        m[0],
                        m[1],
                        m[2],
                        m[3],
                        m[4],
                        m[5],
                        m[6]);
            }
        } finally {
            run.pool.shutdownNow();
        }
    }

    /**
     * One size: {ns/page of fields, template, memset, fill, fields/memset, template/memset,
     * template/fields}, medians over rounds.
     */
    private double[] size(long gib, int rounds) throws Exception {
        EngineConfig config = EngineConfig.defaults().withArch("x86_64");
        try (Engine engine = Engine.create(config)) {
            PhysicalRange range = new PhysicalRange(BASE, gib * GIB);
            DevicePagemap p =
                    engine.memremapPages(new PagemapRequest(range, 0, Optional.empty(), true));
            try {
                p.sync();
                EngineTesting testing = engine.testing();
                int nr = testing.subRanges(p);
                long pages = range.nrPages();
                MemorySegment bytes = testing.memmap(p).asSlice(range.startPfn() << 6, pages << 6);
                double[][] ns = new double[7][rounds];
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < VARIANTS.length; k++) {
                        int v = (k + r) % VARIANTS.length; // rotate the order each round
                        long t0 = System.nanoTime();
                        runVariant(v, testing, p, nr, bytes);
                        ns[v][r] = (double) (System.nanoTime() - t0) / pages;
                    }
                    ns[4][r] = ns[0][r] / ns[2][r];
                    ns[5][r] = ns[1][r] / ns[2][r];
                    ns[6][r] = ns[1][r] / ns[0][r];
                }
                runVariant(0, testing, p, nr, bytes);
                MemmapAudit audit = p.audit();
                if (!audit.ok()) {
                    throw new IllegalStateException("audit after the runs: " + audit);
                }
                double[] medians = new double[7];
                for (int i = 0; i < 7; i++) {
                    medians[i] = median(ns[i]);
                }
                return medians;
            } finally {
                p.close();
            }
        }
    }

    private void runVariant(
            int v, EngineTesting testing, DevicePagemap p, int nr, MemorySegment bytes)
            throws InterruptedException {
        long len = bytes.byteSize();
        long first = p.range().startPfn();
        long end = p.range().endPfn();
        long sub = testing.subRangePages(p);
        switch (v) {
            case 0, 1 -> {
                PageInit writer = v == 0 ? PageInit.FIELDS : PageInit.TEMPLATE;
                parallel(
                        k ->
                                testing.reinitialize(
                                        p,
                                        Math.min(end, first + sub * (nr * (long) k / threads)),
                                        Math.min(
                                                end, first + sub * (nr * (long) (k + 1) / threads)),
                                        writer));
            }
            case 2 -> parallel(k -> memset(bytes, len * k / threads, len * (k + 1) / threads));
            default ->
                    parallel(
                            k ->
                                    bytes.asSlice(
                                                    len * k / threads,
                                                    len * (k + 1) / threads - len * k / threads)
                                            .fill((byte) 0));
        }
    }

    private static void memset(MemorySegment bytes, long from, long to) {
        try {
            long unused = (long) MEMSET.invokeExact(bytes.address() + from, 0, to - from);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void parallel(IntConsumer task) throws InterruptedException {
        if (threads == 1) {
            task.accept(0);
            return;
        }
        CountDownLatch done = new CountDownLatch(threads);
        for (int k = 0; k < threads; k++) {
            int slice = k;
            pool.execute(
                    () -> {
                        try {
                            task.accept(slice);
                        } finally {
                            done.countDown();
                        }
                    });
        }
        done.await();
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
