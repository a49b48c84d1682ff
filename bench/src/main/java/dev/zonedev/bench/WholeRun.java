package dev.zonedev.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.bench.WholeRunReport.Percentiles;
import dev.zonedev.bench.WholeRunReport.SizeFigures;
import dev.zonedev.bench.WholeRunReport.Target;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.EngineTesting;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The whole-run benchmark: for each namespace size, in one process, the engine against references
 * that do the same memory work with nothing around it, alternating, over several rounds, medians
 * reported.
 *
 * <ol>
 *   <li>time for the add to return: async on x86_64 against the synchronous fallback on generic;
 *   <li>time until every page is initialized with 1, 2 and (cores) workers;
 *   <li>first-pfn latency ({@code memmapSync} of one page at a random offset right after the add):
 *       p50, p99 and max, with every core busy (workers = cores) and with a core left for the
 *       consumer (workers = cores - 1), against {@link MinimalPipeline};
 *   <li>references with the same memmap bytes and workers: mmap + MADV_HUGEPAGE + first-touch
 *       writes, the same writes over memory already touched, and the re-initialization of the
 *       engine's populated memmap with the engine's loop;
 *   <li>memory: memmap bytes and resident bytes per page (measured: VmRSS), and bookkeeping bytes
 *       per page computed from a formula (sub-ranges × 28 B + sections × 4 B), not measured: it
 *       leaves out the page-table model, the section objects and the per-range arrays.
 * </ol>
 *
 * <p>Usage: {@code WholeRun [sizeGiB...] [--rounds N] [--samples N] [--quick] [--json FILE]}
 * (default sizes 16 64 256, 3 rounds, 100 latency samples per round and configuration; {@code
 * --quick}: 1 round, 10 samples, a 1 GiB warm-up). Prints a table and PASS/MISS per target; the
 * targets are figures to read, not assertions.
 */
public final class WholeRun implements AutoCloseable {
    static final long GIB = 1L << 30;
    static final long BASE = 1L << 40;
    static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Parsed command line. */
    record Options(
            List<Double> sizesGiB,
            int rounds,
            int samples,
            boolean quick,
            Path json,
            double warmupGiB) {
        static Options parse(String... args) {
            List<Double> sizes = new ArrayList<>();
            Integer rounds = null;
            Integer samples = null;
            boolean quick = false;
            Path json = null;
            Double warmup = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
                    case "--samples" -> samples = Integer.parseInt(value(args, ++i));
                    case "--json" -> json = Path.of(value(args, ++i));
                    case "--warmup" -> warmup = Double.parseDouble(value(args, ++i));
                    case "-h", "--help" -> throw new IllegalArgumentException("usage");
                    default -> sizes.add(Double.parseDouble(args[i]));
                }
            }
            if (sizes.isEmpty()) {
                sizes = List.of(16.0, 64.0, 256.0);
            }
            for (double s : sizes) {
                long bytes = (long) (s * GIB);
                if (bytes < Pages.SUBSECTION_SIZE || bytes % Pages.SUBSECTION_SIZE != 0) {
                    throw new IllegalArgumentException(
                            "size " + s + " GiB is not a positive multiple of 2 MiB");
                }
            }
            return new Options(
                    List.copyOf(sizes),
                    rounds != null ? rounds : quick ? 1 : 3,
                    samples != null ? samples : quick ? 10 : 100,
                    quick,
                    json,
                    warmup != null ? warmup : 1.0);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }

    private final Options options;
    private final PrintStream out;
    private final ExecutorService pool;
    private final Map<String, Engine> engines = new LinkedHashMap<>();
    private final Random random = new Random(42);
    private final List<Integer> workerCounts;
    private final int busyWorkers = CORES;
    private final int freeCoreWorkers = Math.max(1, CORES - 1);

    WholeRun(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        AtomicInteger n = new AtomicInteger();
        this.pool =
                Executors.newFixedThreadPool(
                        Math.max(2, CORES),
                        r -> {
                            Thread t = new Thread(r, "reference-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        this.workerCounts = List.copyOf(new TreeSet<>(List.of(1, 2, CORES)));
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(
                    "usage: WholeRun [sizeGiB...] [--rounds N] [--samples N] [--warmup GiB] [--quick]"
                            + " [--json FILE]"
                            + ("usage".equals(e.getMessage()) ? "" : "\n" + e.getMessage()));
            System.exit(2);
            return;
        }
        run(options, System.out);
    }

    /** Runs everything, prints the table, writes the JSON when asked; returns what it wrote. */
    static WholeRunReport run(Options options, PrintStream out) throws Exception {
        try (WholeRun run = new WholeRun(options, out)) {
            return run.measureAll();
        }
    }

    private WholeRunReport measureAll() throws Exception {
        out.printf(
                "zonedev whole run: sizes %s GiB, %d round(s), %d latency samples/round, %d cores%n",
                options.sizesGiB(), options.rounds(), options.samples(), CORES);
        long w0 = System.nanoTime();
        measureSize(
                options.warmupGiB(),
                2,
                Math.min(options.samples(), 10)); // class loading, JIT; discarded
        out.printf(
                "warm-up on %s GiB: %.1f s%n", options.warmupGiB(), (System.nanoTime() - w0) / 1e9);

        List<SizeFigures> sizes = new ArrayList<>();
        for (double gib : options.sizesGiB()) {
            long t0 = System.nanoTime();
            SizeFigures figures =
                    measureSize(gib, options.rounds(), options.samples())
                            .withWallSeconds((System.nanoTime() - t0) / 1e9);
            sizes.add(figures);
            printSize(figures);
        }
        List<Target> targets = targets(sizes);
        printTargets(targets);

        WholeRunReport json =
                new WholeRunReport(
                        machine(),
                        new WholeRunReport.RunOptions(
                                options.sizesGiB(),
                                options.rounds(),
                                options.samples(),
                                options.quick(),
                                workerCounts),
                        List.copyOf(sizes),
                        targets);
        if (options.json() != null) {
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(options.json().toFile(), json);
            out.println("JSON written to " + options.json());
        }
        return json;
    }

    // ---------------------------------------------------------------- one size

    private SizeFigures measureSize(double gib, int rounds, int samples) throws Exception {
        long bytes = (long) (gib * GIB);
        long pages = bytes >>> Pages.PAGE_SHIFT;
        Map<Integer, List<Double>> fullInitMs = new LinkedHashMap<>();
        Map<Integer, List<Double>> addReturnAsyncMs = new LinkedHashMap<>();
        Map<Integer, List<Double>> reinitMs = new LinkedHashMap<>();
        Map<Integer, List<Double>> firstTouchMs = new LinkedHashMap<>();
        Map<Integer, List<Double>> warmMs = new LinkedHashMap<>();
        List<Double> syncAddMs = new ArrayList<>();
        List<Double> rssPerPage = new ArrayList<>();
        Map<String, List<Double>> latencyUs = new LinkedHashMap<>();
        int[] cut = new int[2]; // nrSubRanges, subRangePages of the default-workers pagemap

        for (int round = 0; round < rounds; round++) {
            for (int w : workerCounts) {
                primeMemory(bytes >>> 6);
                EngineRun e = engineFullInit(bytes, w);
                fullInitMs.computeIfAbsent(w, k -> new ArrayList<>()).add(e.fullMs);
                addReturnAsyncMs.computeIfAbsent(w, k -> new ArrayList<>()).add(e.addMs);
                reinitMs.computeIfAbsent(w, k -> new ArrayList<>()).add(e.reinitMs);
                if (w == CORES) {
                    rssPerPage.add(e.rssBytesPerPage);
                    cut[0] = e.nrSubRanges;
                    cut[1] = (int) e.subRangePages;
                }
                primeMemory(bytes >>> 6);
                double[] ref = referencePass(pages, w);
                firstTouchMs.computeIfAbsent(w, k -> new ArrayList<>()).add(ref[0]);
                warmMs.computeIfAbsent(w, k -> new ArrayList<>()).add(ref[1]);
            }
            syncAddMs.add(syncGenericAddMs(bytes));
            latency(bytes, busyWorkers, samples, latencyUs, "allCoresBusy");
            latency(bytes, freeCoreWorkers, samples, latencyUs, "coreLeftFree");
        }

        double asyncAdd = median(addReturnAsyncMs.get(CORES));
        double syncAdd = median(syncAddMs);
        var add =
                new WholeRunReport.AddReturn(
                        asyncAdd,
                        syncAdd,
                        asyncAdd / syncAdd,
                        medians(addReturnAsyncMs),
                        List.copyOf(syncAddMs));
        var init =
                new WholeRunReport.FullInit(
                        medians(fullInitMs),
                        perPage(medians(fullInitMs), pages),
                        medians(firstTouchMs),
                        ratios(medians(fullInitMs), medians(firstTouchMs)),
                        median(fullInitMs.get(1)) / median(fullInitMs.get(2)),
                        keyed(fullInitMs),
                        keyed(firstTouchMs));
        var reinit =
                new WholeRunReport.Reinit(
                        medians(reinitMs),
                        perPage(medians(reinitMs), pages),
                        medians(warmMs),
                        perPage(medians(warmMs), pages),
                        ratios(medians(reinitMs), medians(warmMs)));
        var latency =
                new WholeRunReport.FirstPfnLatency(
                        latency(latencyUs, "allCoresBusy", busyWorkers),
                        latency(latencyUs, "coreLeftFree", freeCoreWorkers),
                        latencyUs.get("allCoresBusy/engine").size());
        long sections = (bytes + (128L << 20) - 1) >>> 27; // x86_64 sections of 128 MiB
        long bookkeeping =
                (long) cut[0] * engine("x86_64", CORES).testing().bookkeepingBytesPerSubRange()
                        + sections * Integer.BYTES;
        var memory =
                new WholeRunReport.Memory(
                        Pages.STRUCT_PAGE_SIZE,
                        median(rssPerPage),
                        cut[0],
                        cut[1],
                        bookkeeping,
                        (double) bookkeeping / pages);
        return new SizeFigures(
                gib,
                pages,
                pages * Pages.STRUCT_PAGE_SIZE,
                rounds,
                0,
                add,
                init,
                reinit,
                latency,
                memory);
    }

    private static WholeRunReport.Latency latency(
            Map<String, List<Double>> latencyUs, String config, int workers) {
        Percentiles engine = percentiles(latencyUs.get(config + "/engine"));
        Percentiles pipeline = percentiles(latencyUs.get(config + "/pipeline"));
        return new WholeRunReport.Latency(workers, engine, pipeline, engine.p99() / pipeline.p99());
    }

    private record EngineRun(
            double addMs,
            double fullMs,
            double reinitMs,
            double rssBytesPerPage,
            int nrSubRanges,
            long subRangePages) {}

    /** Async x86_64 add with {@code workers}; returns add, full-init and warm re-init times. */
    private EngineRun engineFullInit(long bytes, int workers) throws InterruptedException {
        Engine engine = engine("x86_64", workers);
        long rss0 = residentBytes();
        long t0 = System.nanoTime();
        DevicePagemap p = engine.memremapPages(request(bytes, true));
        long t1 = System.nanoTime();
        if (!p.awaitIdle(Duration.ofMinutes(10))) {
            throw new IllegalStateException("background init did not finish: " + p.failure());
        }
        // from the add call to the moment the last sub-range was published (adding the add's time
        // to initDurationNanos, which starts inside the add, counted a stretch twice)
        long full = p.initDoneAtNanos() - t0;
        long rss1 = residentBytes();
        if (p.pagesInitializedInForeground() != 0 || p.failure() != null) {
            throw new IllegalStateException("background init was helped or failed: " + p.failure());
        }
        EngineTesting testing = engine.testing();
        int nr = testing.subRanges(p);
        long r0 = System.nanoTime();
        parallel(
                workers,
                k ->
                        reinitialize(
                                testing,
                                p,
                                (int) ((long) nr * k / workers),
                                (int) ((long) nr * (k + 1) / workers)));
        long r1 = System.nanoTime();
        long pages = p.range().nrPages();
        EngineRun run =
                new EngineRun(
                        (t1 - t0) / 1e6,
                        full / 1e6,
                        (r1 - r0) / 1e6,
                        (double) (rss1 - rss0) / pages,
                        nr,
                        testing.subRangePages(p));
        p.close();
        return run;
    }

    /**
     * Rewrites sub-ranges {@code [first, end)} of a fully initialized pagemap with the engine's
     * loop, one call a sub-range as the workers make them: the cost of initializing warm memmap.
     */
    private static void reinitialize(EngineTesting testing, DevicePagemap p, int first, int end) {
        long sub = testing.subRangePages(p);
        long start = p.range().startPfn();
        long stop = p.range().endPfn();
        for (int i = first; i < end; i++) {
            long from = start + i * sub;
            testing.reinitialize(p, from, Math.min(from + sub, stop));
        }
    }

    /** See {@link MemoryPrimer}: gives the engine and the reference the same start. */
    private void primeMemory(long bytes) throws InterruptedException {
        MemoryPrimer.prime(bytes, Math.max(2, CORES));
    }

    /** Sync fallback on generic (async asked, would-block answered): time until the add returns. */
    private double syncGenericAddMs(long bytes) {
        Engine engine = engine("generic", CORES);
        long t0 = System.nanoTime();
        DevicePagemap p = engine.memremapPages(request(bytes, true));
        long t1 = System.nanoTime();
        if (p.async() || p.memmapState() != MemmapState.IDLE) {
            throw new IllegalStateException("generic add did not fall back to a synchronous add");
        }
        p.close();
        return (t1 - t0) / 1e6;
    }

    /**
     * Reference for the same memmap bytes and workers: {ms of mmap + MADV_HUGEPAGE + first-touch
     * writes, ms of the same writes again over the touched memory}.
     */
    private double[] referencePass(long pages, int workers) throws InterruptedException {
        long bytes = pages * Pages.STRUCT_PAGE_SIZE;
        long firstPfn = Pages.pfn(BASE);
        long flags = ReferenceLoop.baseFlags(0);
        int shift = 15;
        long t0 = System.nanoTime();
        try (HugePages mapped = HugePages.map(bytes)) {
            MemorySegment memory = mapped.memory();
            IntConsumer slice =
                    k -> {
                        long from = pages * k / workers;
                        long to = pages * (k + 1) / workers;
                        ReferenceLoop.write(
                                memory,
                                from << Pages.STRUCT_PAGE_SHIFT,
                                firstPfn + from,
                                firstPfn + to,
                                flags,
                                shift,
                                1);
                    };
            parallel(workers, slice);
            long t1 = System.nanoTime();
            parallel(workers, slice);
            long t2 = System.nanoTime();
            return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
        }
    }

    /** {@code samples} engine and pipeline first-pfn samples, alternating, with {@code workers}. */
    private void latency(
            long bytes, int workers, int samples, Map<String, List<Double>> into, String config)
            throws InterruptedException {
        Engine engine = engine("x86_64", workers);
        List<Double> e = into.computeIfAbsent(config + "/engine", k -> new ArrayList<>());
        List<Double> m = into.computeIfAbsent(config + "/pipeline", k -> new ArrayList<>());
        MinimalPipeline pipeline = null;
        for (int s = 0; s < samples; s++) {
            DevicePagemap p = engine.memremapPages(request(bytes, true));
            long pfn =
                    p.firstDevicePfn()
                            + (long)
                                    (random.nextDouble()
                                            * (p.range().endPfn() - p.firstDevicePfn()));
            long t0 = System.nanoTime();
            p.memmapSync(pfn, 1);
            e.add((System.nanoTime() - t0) / 1e3);
            if (pipeline == null) {
                pipeline =
                        new MinimalPipeline(
                                pool,
                                workers,
                                p.firstDevicePfn(),
                                p.range().nrPages(),
                                engine.testing().subRanges(p),
                                engine.testing().subRangePages(p),
                                sectionPfnShift(engine));
            }
            p.close();
            long pfn2 =
                    Pages.pfn(BASE) + (long) (random.nextDouble() * (bytes >>> Pages.PAGE_SHIFT));
            m.add(pipeline.sample(pfn2) / 1e3);
        }
    }

    // ---------------------------------------------------------------- targets and output

    private List<Target> targets(List<SizeFigures> sizes) {
        List<Target> t = new ArrayList<>();
        for (SizeFigures f : sizes) {
            double gib = f.sizeGiB();
            String at = " @" + fmtGiB(gib) + "GiB";
            t.add(
                    Target.of(
                            "async add / sync add" + at + (gib == 64 ? "" : " (target is @64GiB)"),
                            gib,
                            f.addReturn().asyncOverSync(),
                            0.01,
                            true));
            for (int w : workerCounts) {
                t.add(
                        Target.of(
                                "full init / reference (mmap+THP+first touch), " + w + "w" + at,
                                gib,
                                f.fullInit().engineOverReference().get(String.valueOf(w)),
                                1.25,
                                true));
            }
            for (int w : workerCounts) {
                t.add(
                        Target.of(
                                "re-init populated memmap / warm reference loop, " + w + "w" + at,
                                gib,
                                f.reinit().engineOverReference().get(String.valueOf(w)),
                                1.2,
                                true));
            }
            t.add(
                    Target.of(
                            "full init speed-up 2w over 1w" + at,
                            gib,
                            f.fullInit().speedup2Over1(),
                            1.6,
                            false));
            for (Map.Entry<String, WholeRunReport.Latency> c : configs(f).entrySet()) {
                t.add(
                        Target.of(
                                "first-pfn p99 / minimal pipeline p99, " + c.getKey() + at,
                                gib,
                                c.getValue().p99EngineOverPipeline(),
                                1.5,
                                true));
            }
            t.add(
                    Target.of(
                            "bookkeeping bytes per page" + at,
                            gib,
                            f.memory().bookkeepingBytesPerPage(),
                            1.0,
                            true));
        }
        if (sizes.size() > 1) {
            SizeFigures small = sizes.getFirst();
            SizeFigures large = sizes.getLast();
            Map<String, WholeRunReport.Latency> smallConfigs = configs(small);
            for (Map.Entry<String, WholeRunReport.Latency> c : configs(large).entrySet()) {
                double p99s = smallConfigs.get(c.getKey()).engineUs().p99();
                double p99l = c.getValue().engineUs().p99();
                t.add(
                        Target.of(
                                "first-pfn p99 @"
                                        + fmtGiB(large.sizeGiB())
                                        + "GiB / p99 @"
                                        + fmtGiB(small.sizeGiB())
                                        + "GiB, "
                                        + c.getKey(),
                                large.sizeGiB(),
                                p99l / p99s,
                                2.0,
                                true));
            }
        }
        return List.copyOf(t);
    }

    /** The two latency configurations of a size, by their JSON names, in order. */
    private static Map<String, WholeRunReport.Latency> configs(SizeFigures f) {
        Map<String, WholeRunReport.Latency> m = new LinkedHashMap<>();
        m.put("allCoresBusy", f.firstPfnLatency().allCoresBusy());
        m.put("coreLeftFree", f.firstPfnLatency().coreLeftFree());
        return m;
    }

    private void printSize(SizeFigures f) {
        String s = fmtGiB(f.sizeGiB()) + "GiB";
        out.printf(
                "%n== %s: %d pages, memmap %d MiB, %d round(s), %.1f s ==%n",
                s, f.pages(), f.memmapBytes() >> 20, f.rounds(), f.wallSeconds());
        row(s, "add returns, x86_64 async (" + CORES + "w)", f.addReturn().asyncX86_64Ms(), "ms");
        row(s, "add returns, generic sync (" + CORES + "w)", f.addReturn().syncGenericMs(), "ms");
        row(s, "async / sync", f.addReturn().asyncOverSync(), "");
        for (int w : workerCounts) {
            String k = String.valueOf(w);
            row(s, "full init, engine " + w + "w", f.fullInit().engineMs().get(k), "ms");
            row(
                    s,
                    "full init, reference mmap+THP+touch " + w + "w",
                    f.fullInit().referenceFirstTouchMs().get(k),
                    "ms");
            row(
                    s,
                    "  engine / reference " + w + "w",
                    f.fullInit().engineOverReference().get(k),
                    "");
        }
        row(s, "full init speed-up 2w/1w", f.fullInit().speedup2Over1(), "x");
        for (int w : workerCounts) {
            String k = String.valueOf(w);
            row(
                    s,
                    "re-init populated, engine loop " + w + "w",
                    f.reinit().engineLoopNsPerPage().get(k),
                    "ns/page");
            row(
                    s,
                    "warm reference loop " + w + "w",
                    f.reinit().warmReferenceNsPerPage().get(k),
                    "ns/page");
        }
        for (Map.Entry<String, WholeRunReport.Latency> c : configs(f).entrySet()) {
            percentilesRow(
                    s,
                    "first pfn, engine, " + c.getKey() + " (" + c.getValue().workers() + "w)",
                    c.getValue().engineUs());
            percentilesRow(
                    s, "first pfn, minimal pipeline, " + c.getKey(), c.getValue().pipelineUs());
        }
        row(s, "memmap bytes/page (resident)", f.memory().residentBytesPerPage(), "B");
        row(
                s,
                "bookkeeping bytes/page (formula, not measured)",
                f.memory().bookkeepingBytesPerPage(),
                "B");
    }

    private void percentilesRow(String size, String what, Percentiles p) {
        out.printf(
                "%-8s %-46s p50 %8.1f  p99 %8.1f  max %8.1f us%n",
                size, what, p.p50(), p.p99(), p.max());
    }

    private void row(String size, String what, double value, String unit) {
        out.printf("%-8s %-46s %12.4f %s%n", size, what, value, unit);
    }

    private void printTargets(List<Target> targets) {
        out.printf("%n== targets ==%n");
        for (Target t : targets) {
            out.printf(
                    "%-4s %-78s %10.4f %s %s%n",
                    t.pass() ? "PASS" : "MISS", t.target(), t.value(), t.comparison(), t.limit());
        }
    }

    private static WholeRunReport.Machine machine() {
        return new WholeRunReport.Machine(
                CORES,
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                Runtime.getRuntime().maxMemory(),
                readFirstLine("/sys/kernel/mm/transparent_hugepage/enabled"),
                cpuModel(),
                Instant.now().toString());
    }

    // ---------------------------------------------------------------- helpers

    private Engine engine(String arch, int workers) {
        return engines.computeIfAbsent(
                arch + "/" + workers,
                k -> Engine.create(EngineConfig.defaults().withArch(arch).withWorkers(workers)));
    }

    /** log2 of the pages in a section of the engine's arch. */
    private static int sectionPfnShift(Engine engine) {
        return Long.numberOfTrailingZeros(engine.arch().sectionSize()) - Pages.PAGE_SHIFT;
    }

    private static PagemapRequest request(long bytes, boolean async) {
        return new PagemapRequest(new PhysicalRange(BASE, bytes), 0, Optional.empty(), async);
    }

    /** Runs {@code task(0..n-1)} on the reference pool and waits for all of them. */
    private void parallel(int n, IntConsumer task) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int k = 0; k < n; k++) {
            int slice = k;
            pool.execute(
                    () -> {
                        try {
                            task.accept(slice);
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        } finally {
                            done.countDown();
                        }
                    });
        }
        done.await();
        if (failure.get() != null) {
            throw new IllegalStateException("parallel pass failed", failure.get());
        }
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static Map<String, Double> medians(Map<Integer, List<Double>> byWorkers) {
        Map<String, Double> m = new LinkedHashMap<>();
        byWorkers.forEach((w, v) -> m.put(String.valueOf(w), median(v)));
        return m;
    }

    private static Map<String, List<Double>> keyed(Map<Integer, List<Double>> byWorkers) {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        byWorkers.forEach((w, v) -> m.put(String.valueOf(w), v));
        return m;
    }

    private static Map<String, Double> ratios(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> m = new LinkedHashMap<>();
        a.forEach((k, v) -> m.put(k, v / b.get(k)));
        return m;
    }

    private static Map<String, Double> perPage(Map<String, Double> ms, long pages) {
        Map<String, Double> m = new LinkedHashMap<>();
        ms.forEach((k, v) -> m.put(k, v * 1e6 / pages));
        return m;
    }

    static Percentiles percentiles(List<Double> samples) {
        double[] v = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Percentiles(
                v[(v.length - 1) / 2],
                v[Math.max(0, (int) Math.ceil(v.length * 0.99) - 1)],
                v[v.length - 1],
                Arrays.stream(v).average().orElse(0));
    }

    private static String fmtGiB(double gib) {
        return gib == Math.rint(gib) ? String.valueOf((long) gib) : String.valueOf(gib);
    }

    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static String readFirstLine(String path) {
        try {
            List<String> lines = Files.readAllLines(Path.of(path));
            return lines.isEmpty() ? "" : lines.getFirst();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        engines.values().forEach(Engine::close);
        pool.shutdownNow();
    }
}
