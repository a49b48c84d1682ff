package dev.zonedev.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
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
 *       per page computed from a formula (sub-ranges × 26 B + sections × 4 B), not measured: it
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

    /** Runs everything, prints the table, writes the JSON when asked; returns the JSON tree. */
    static Map<String, Object> run(Options options, PrintStream out) throws Exception {
        try (WholeRun run = new WholeRun(options, out)) {
            return run.measureAll();
        }
    }

    private Map<String, Object> measureAll() throws Exception {
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

        List<Map<String, Object>> sizes = new ArrayList<>();
        for (double gib : options.sizesGiB()) {
            long t0 = System.nanoTime();
            Map<String, Object> figures = measureSize(gib, options.rounds(), options.samples());
            figures.put("wallSeconds", (System.nanoTime() - t0) / 1e9);
            sizes.add(figures);
            printSize(figures);
        }
        List<Map<String, Object>> targets = targets(sizes);
        printTargets(targets);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine());
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("sizesGiB", options.sizesGiB());
        opts.put("rounds", options.rounds());
        opts.put("samplesPerRound", options.samples());
        opts.put("quick", options.quick());
        opts.put("workerCounts", workerCounts);
        json.put("options", opts);
        json.put("sizes", sizes);
        json.put("targets", targets);
        if (options.json() != null) {
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(options.json().toFile(), json);
            out.println("JSON written to " + options.json());
        }
        return json;
    }

    // ---------------------------------------------------------------- one size

    private Map<String, Object> measureSize(double gib, int rounds, int samples) throws Exception {
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

        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sizeGiB", gib);
        f.put("pages", pages);
        f.put("memmapBytes", pages * Pages.STRUCT_PAGE_SIZE);
        f.put("rounds", rounds);
        Map<String, Object> add = new LinkedHashMap<>();
        double asyncAdd = median(addReturnAsyncMs.get(CORES));
        double syncAdd = median(syncAddMs);
        add.put("asyncX86_64Ms", asyncAdd);
        add.put("syncGenericMs", syncAdd);
        add.put("asyncOverSync", asyncAdd / syncAdd);
        add.put("asyncX86_64MsByWorkers", medians(addReturnAsyncMs));
        add.put("syncGenericRoundsMs", syncAddMs);
        f.put("addReturn", add);

        Map<String, Object> init = new LinkedHashMap<>();
        init.put("engineMs", medians(fullInitMs));
        init.put("engineNsPerPage", perPage(medians(fullInitMs), pages));
        init.put("referenceFirstTouchMs", medians(firstTouchMs));
        init.put("engineOverReference", ratios(medians(fullInitMs), medians(firstTouchMs)));
        init.put("speedup2Over1", median(fullInitMs.get(1)) / median(fullInitMs.get(2)));
        init.put("engineRoundsMs", keyed(fullInitMs));
        init.put("referenceFirstTouchRoundsMs", keyed(firstTouchMs));
        f.put("fullInit", init);

        Map<String, Object> reinit = new LinkedHashMap<>();
        reinit.put("engineLoopMs", medians(reinitMs));
        reinit.put("engineLoopNsPerPage", perPage(medians(reinitMs), pages));
        reinit.put("warmReferenceMs", medians(warmMs));
        reinit.put("warmReferenceNsPerPage", perPage(medians(warmMs), pages));
        reinit.put("engineOverReference", ratios(medians(reinitMs), medians(warmMs)));
        f.put("reinit", reinit);

        Map<String, Object> latency = new LinkedHashMap<>();
        for (String config : List.of("allCoresBusy", "coreLeftFree")) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("workers", config.equals("allCoresBusy") ? busyWorkers : freeCoreWorkers);
            Map<String, Double> engine = percentiles(latencyUs.get(config + "/engine"));
            Map<String, Double> pipeline = percentiles(latencyUs.get(config + "/pipeline"));
            c.put("engineUs", engine);
            c.put("pipelineUs", pipeline);
            c.put("p99EngineOverPipeline", engine.get("p99") / pipeline.get("p99"));
            latency.put(config, c);
        }
        latency.put("samples", latencyUs.get("allCoresBusy/engine").size());
        f.put("firstPfnLatency", latency);

        Map<String, Object> memory = new LinkedHashMap<>();
        long sections = (bytes + (128L << 20) - 1) >>> 27; // x86_64 sections of 128 MiB
        long bookkeeping =
                (long) cut[0] * engine("x86_64", CORES).testing().bookkeepingBytesPerSubRange()
                        + sections * Integer.BYTES;
        memory.put("memmapBytesPerPage", Pages.STRUCT_PAGE_SIZE);
        memory.put("residentBytesPerPage", median(rssPerPage));
        memory.put("subRanges", cut[0]);
        memory.put("subRangePages", cut[1]);
        memory.put("bookkeepingBytes", bookkeeping);
        memory.put("bookkeepingBytesPerPage", (double) bookkeeping / pages);
        f.put("memory", memory);
        return f;
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

    private List<Map<String, Object>> targets(List<Map<String, Object>> sizes) {
        List<Map<String, Object>> t = new ArrayList<>();
        for (Map<String, Object> f : sizes) {
            double gib = (Double) f.get("sizeGiB");
            String at = " @" + fmtGiB(gib) + "GiB";
            t.add(
                    target(
                            "async add / sync add" + at + (gib == 64 ? "" : " (target is @64GiB)"),
                            gib,
                            (Double) get(f, "addReturn", "asyncOverSync"),
                            0.01,
                            true));
            Map<?, ?> init = (Map<?, ?>) get(f, "fullInit", "engineOverReference");
            for (int w : workerCounts) {
                t.add(
                        target(
                                "full init / reference (mmap+THP+first touch), " + w + "w" + at,
                                gib,
                                (Double) init.get(String.valueOf(w)),
                                1.25,
                                true));
            }
            Map<?, ?> re = (Map<?, ?>) get(f, "reinit", "engineOverReference");
            for (int w : workerCounts) {
                t.add(
                        target(
                                "re-init populated memmap / warm reference loop, " + w + "w" + at,
                                gib,
                                (Double) re.get(String.valueOf(w)),
                                1.2,
                                true));
            }
            t.add(
                    target(
                            "full init speed-up 2w over 1w" + at,
                            gib,
                            (Double) get(f, "fullInit", "speedup2Over1"),
                            1.6,
                            false));
            for (String config : List.of("allCoresBusy", "coreLeftFree")) {
                t.add(
                        target(
                                "first-pfn p99 / minimal pipeline p99, " + config + at,
                                gib,
                                (Double) get(f, "firstPfnLatency", config, "p99EngineOverPipeline"),
                                1.5,
                                true));
            }
            t.add(
                    target(
                            "bookkeeping bytes per page" + at,
                            gib,
                            (Double) get(f, "memory", "bookkeepingBytesPerPage"),
                            1.0,
                            true));
        }
        if (sizes.size() > 1) {
            Map<String, Object> small = sizes.getFirst();
            Map<String, Object> large = sizes.getLast();
            for (String config : List.of("allCoresBusy", "coreLeftFree")) {
                double p99s = (Double) get(small, "firstPfnLatency", config, "engineUs", "p99");
                double p99l = (Double) get(large, "firstPfnLatency", config, "engineUs", "p99");
                t.add(
                        target(
                                "first-pfn p99 @"
                                        + fmtGiB((Double) large.get("sizeGiB"))
                                        + "GiB / p99 @"
                                        + fmtGiB((Double) small.get("sizeGiB"))
                                        + "GiB, "
                                        + config,
                                (Double) large.get("sizeGiB"),
                                p99l / p99s,
                                2.0,
                                true));
            }
        }
        return t;
    }

    private static Map<String, Object> target(
            String name, double gib, double value, double limit, boolean atMost) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("target", name);
        t.put("sizeGiB", gib);
        t.put("value", value);
        t.put("limit", limit);
        t.put("comparison", atMost ? "<=" : ">=");
        t.put("pass", atMost ? value <= limit : value >= limit);
        return t;
    }

    private void printSize(Map<String, Object> f) {
        String s = fmtGiB((Double) f.get("sizeGiB")) + "GiB";
        out.printf(
                "%n== %s: %d pages, memmap %d MiB, %d round(s), %.1f s ==%n",
                s,
                (Long) f.get("pages"),
                (Long) f.get("memmapBytes") >> 20,
                (Integer) f.get("rounds"),
                (Double) f.get("wallSeconds"));
        row(
                s,
                "add returns, x86_64 async (" + CORES + "w)",
                get(f, "addReturn", "asyncX86_64Ms"),
                "ms");
        row(
                s,
                "add returns, generic sync (" + CORES + "w)",
                get(f, "addReturn", "syncGenericMs"),
                "ms");
        row(s, "async / sync", get(f, "addReturn", "asyncOverSync"), "");
        for (int w : workerCounts) {
            String k = String.valueOf(w);
            row(
                    s,
                    "full init, engine " + w + "w",
                    ((Map<?, ?>) get(f, "fullInit", "engineMs")).get(k),
                    "ms");
            row(
                    s,
                    "full init, reference mmap+THP+touch " + w + "w",
                    ((Map<?, ?>) get(f, "fullInit", "referenceFirstTouchMs")).get(k),
                    "ms");
            row(
                    s,
                    "  engine / reference " + w + "w",
                    ((Map<?, ?>) get(f, "fullInit", "engineOverReference")).get(k),
                    "");
        }
        row(s, "full init speed-up 2w/1w", get(f, "fullInit", "speedup2Over1"), "x");
        for (int w : workerCounts) {
            String k = String.valueOf(w);
            row(
                    s,
                    "re-init populated, engine loop " + w + "w",
                    ((Map<?, ?>) get(f, "reinit", "engineLoopNsPerPage")).get(k),
                    "ns/page");
            row(
                    s,
                    "warm reference loop " + w + "w",
                    ((Map<?, ?>) get(f, "reinit", "warmReferenceNsPerPage")).get(k),
                    "ns/page");
        }
        for (String config : List.of("allCoresBusy", "coreLeftFree")) {
            Map<?, ?> c = (Map<?, ?>) get(f, "firstPfnLatency", config);
            Map<?, ?> e = (Map<?, ?>) c.get("engineUs");
            Map<?, ?> m = (Map<?, ?>) c.get("pipelineUs");
            out.printf(
                    "%-8s %-46s p50 %8.1f  p99 %8.1f  max %8.1f us%n",
                    s,
                    "first pfn, engine, " + config + " (" + c.get("workers") + "w)",
                    e.get("p50"),
                    e.get("p99"),
                    e.get("max"));
            out.printf(
                    "%-8s %-46s p50 %8.1f  p99 %8.1f  max %8.1f us%n",
                    s,
                    "first pfn, minimal pipeline, " + config,
                    m.get("p50"),
                    m.get("p99"),
                    m.get("max"));
        }
        row(s, "memmap bytes/page (resident)", get(f, "memory", "residentBytesPerPage"), "B");
        row(
                s,
                "bookkeeping bytes/page (formula, not measured)",
                get(f, "memory", "bookkeepingBytesPerPage"),
                "B");
    }

    private void row(String size, String what, Object value, String unit) {
        out.printf("%-8s %-46s %12.4f %s%n", size, what, ((Number) value).doubleValue(), unit);
    }

    private void printTargets(List<Map<String, Object>> targets) {
        out.printf("%n== targets ==%n");
        for (Map<String, Object> t : targets) {
            out.printf(
                    "%-4s %-78s %10.4f %s %s%n",
                    (Boolean) t.get("pass") ? "PASS" : "MISS",
                    t.get("target"),
                    (Double) t.get("value"),
                    t.get("comparison"),
                    t.get("limit"));
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", CORES);
        m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.put("transparentHugepage", readFirstLine("/sys/kernel/mm/transparent_hugepage/enabled"));
        m.put("cpu", cpuModel());
        m.put("time", Instant.now().toString());
        return m;
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

    static Map<String, Double> percentiles(List<Double> samples) {
        double[] v = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("p50", v[(v.length - 1) / 2]);
        m.put("p99", v[Math.max(0, (int) Math.ceil(v.length * 0.99) - 1)]);
        m.put("max", v[v.length - 1]);
        m.put("mean", Arrays.stream(v).average().orElse(0));
        return m;
    }

    private static Object get(Map<String, Object> root, String... path) {
        Object o = root;
        for (String p : path) {
            o = ((Map<?, ?>) o).get(p);
        }
        return o;
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
