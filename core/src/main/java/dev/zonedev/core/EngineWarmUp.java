package dev.zonedev.core;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.pfn.InfoBlockKind;
import dev.zonedev.api.pfn.MapLocation;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.api.pfn.PfnLayout;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.LockSupport;

/**
 * Pays the engine's one-time costs once per JVM, before any caller's clock starts, and checks that
 * the page loop really runs compiled instead of assuming it.
 *
 * <p>What a cold run otherwise pays inside the first create (measured, issue 10): the first {@code
 * UUID.randomUUID()} (SecureRandom setup), the first call of each FFM downcall, the bootstrap of
 * the lambdas and record methods on the add path, ~55 classes, and worst of all the page loop
 * running in the interpreter or at tier 1 for ~190 ms: the old warm-up compiled the loop on a
 * scratch arena, and its code was thrown away as soon as production loaded {@code
 * HeapMemorySegmentImpl$OfByte} (the info block code), because the compiled code had assumed, from
 * the class hierarchy, that no other segment class existed.
 *
 * <p>So the warm-up (1) loads every memory-segment class production can meet (heap segments through
 * the real info-block code, native, mapped; confined, shared, global and automatic sessions)
 * <em>before</em> the loop is compiled; (2) runs the whole add path twice on a scratch engine of
 * the same arch (a RAM memmap, and a file-backed one with an altmap, so both the altmap prefix and
 * the device part run, through {@link StructPage#initSubRange}, the method the workers call), which
 * links every downcall, lambda and record method on the path; (3) repeats the sub-range loop on
 * that engine's real vmemmap until it runs at compiled speed. It warms only what the run will use
 * ({@link Part}): the RAM add path and the {@link PageInit#FIELDS} writer ({@link
 * StructPage#initSubRange}) always; the file-backed add path with an altmap, the {@link
 * PageInit#TEMPLATE} writer ({@link StructPageTemplate#initSubRange}) and a compound-page add
 * ({@link CompoundMemmap}) only when asked for, since each costs the cold command tens of
 * milliseconds of linking, loading and compiling. A caller that learns later what it needs (the
 * command line, after parsing) asks again before its clock starts, and only the missing parts run.
 * "The loop" is every warmed page writer; a round's speed is the slower writer's. The loop is first
 * run a few rounds on scratch memory, so that it is queued for C2 before (2) and compiles while the
 * add path runs; in (3) a slow round is followed by a 1 ms pause, since on two shared cores a
 * spinning warm-up only delays the compiler thread. The check is by speed, and it is one-sided: the
 * loop writes a page in 1.5–2 ns compiled by C2 (scratch memory in cache), ~80 ns with C1 only
 * ({@code -XX:TieredStopAtLevel=1}, measured) and ~1 µs interpreted, so a round under {@link
 * #COMPILED_NS_PER_PAGE} cannot come from anything but C2 code, and noise on a busy machine can
 * only make it slower (then the warm-up goes on, up to its budget, and says it did not get there).
 * Neither JFR's {@code jdk.Compilation} events (starting JFR costs what this is trying to avoid)
 * nor the management API (it tells total compile time, not which method is compiled at which tier)
 * can answer it as cheaply; {@code Compiler.codelist} over the DiagnosticCommand MBean can, but
 * starting the MBean server costs ~150 ms.
 */
public final class EngineWarmUp {
    /** Well under what C1 code reaches (~80 ns/page measured); below this the loop is C2 code. */
    static final double COMPILED_NS_PER_PAGE = 12.0;

    /** Consecutive rounds under the threshold that count as compiled. */
    private static final int FAST_ROUNDS = 5;

    /**
     * At most this long waiting for the compiler (a busy machine starves its threads); then the
     * report says so.
     */
    private static final long BUDGET_NANOS = 2_000_000_000L;

    /** Pages per call: short calls reach the compiler's invocation thresholds in a few rounds. */
    private static final long CHUNK_PAGES = 64;

    /**
     * Rounds on scratch memory that queue the loop for C2; the add path then runs while it
     * compiles.
     */
    private static final int TRIGGER_ROUNDS = 8;

    /** Pause after a slow round, leaving the core to the compiler thread (two cores, shared). */
    private static final long PAUSE_NANOS = 1_000_000;

    /** Pages of each range one round covers: a round stays short while the loop is interpreted. */
    private static final long ROUND_PAGES = 4096;

    /** The RAM scratch range: one whole x86_64 section, so the one-call premap path runs too. */
    private static final long RAM_SCRATCH_BYTES = 128L << 20;

    /** The altmap scratch range: the smallest that holds its info block, memmap and data. */
    private static final long DEV_SCRATCH_BYTES = 16L << 20;

    /** The compound scratch range: a few 2 MiB compound pages. */
    private static final long COMPOUND_SCRATCH_BYTES = 16L << 20;

    /** The compound order the warm-up's compound writer uses: 2 MiB pages. */
    private static final int COMPOUND_ORDER = 9;

    /**
     * What the warm-up did.
     *
     * @param millis how long it took
     * @param loopCompiled true when the page loop ran at compiled (C2) speed at its end
     * @param nsPerPage the loop's speed in its last round
     * @param rounds rounds of the loop it took
     */
    public record Result(
            double millis, boolean loopCompiled, double nsPerPage, int rounds, Set<Part> parts) {
        public Result {
            parts = Set.copyOf(parts);
        }
    }

    /**
     * A part of the engine the warm-up runs beyond the RAM add path and the {@link PageInit#FIELDS}
     * writer, which it always runs.
     */
    public enum Part {
        /**
         * A file-backed add with an altmap ({@code map=dev}): files, flock, fallocate, msync.
         * Warmed in every run ({@link #of(EngineConfig)} says why).
         */
        FILE_BACKED,
        /** The {@link PageInit#TEMPLATE} page writer, verified compiled like the default one. */
        TEMPLATE,
        /**
         * An add of compound pages ({@link CompoundMemmap}, device-dax with {@code align} > 4K).
         */
        COMPOUND;

        /** The parts runs of {@code config} with the namespaces {@code specs} use. */
        public static Set<Part> of(EngineConfig config, Collection<NamespaceSpec> specs) {
            Set<Part> parts = of(config);
            for (NamespaceSpec spec : specs) {
                if (spec.file().isPresent() || "dev".equals(spec.options().get("map"))) {
                    parts.add(FILE_BACKED);
                }
                if (spec.mode() == NamespaceMode.DEVDAX && spec.align() > Pages.PAGE_SIZE) {
                    parts.add(COMPOUND);
                }
            }
            return parts;
        }

        /**
         * The parts {@code config} alone implies: {@link #FILE_BACKED} always, {@link #TEMPLATE}
         * when it picks that writer. The file-backed add runs the add path a second time, with an
         * altmap; without it the timed add of a RAM-only 1 GiB boot measured 11–16 ms instead of
         * 7–9 ms in alternating cold runs (BENCHMARKS.md, cold runs), for ~30 ms more warm-up.
         */
        static Set<Part> of(EngineConfig config) {
            Set<Part> parts = EnumSet.of(FILE_BACKED);
            if (config.pageInit() == PageInit.TEMPLATE) {
                parts.add(TEMPLATE);
            }
            return parts;
        }
    }

    private static final boolean TRACE = Boolean.getBoolean("zonedev.warmup.trace");
    private static Result done;
    private static final Set<Part> warmed = EnumSet.noneOf(Part.class);

    /**
     * Parts a warm-up has tried, warmed or not (a scratch engine of the configured arch may not
     * exist): none is tried twice in a JVM.
     */
    private static final Set<Part> tried = EnumSet.noneOf(Part.class);

    private static boolean running;
    private static MemorySegment probe;

    private EngineWarmUp() {}

    /**
     * {@link #ensure(EngineConfig, Set)} with the parts {@code config} alone implies (the template
     * writer when it picks it).
     */
    public static Result ensure(EngineConfig config) {
        return ensure(config, Part.of(config));
    }

    /**
     * Runs the warm-up once per JVM with an engine configuration like {@code config}, with the RAM
     * add path, the default page writer and {@code parts}; a later call waits for a running one,
     * then runs only the parts not warmed yet (none: it returns the result at once). A launcher may
     * call it early on a thread of its own, so that it overlaps argument parsing, and again with
     * the parts it needs before its clock starts. Never throws.
     */
    public static synchronized Result ensure(EngineConfig config, Set<Part> parts) {
        Set<Part> wanted = EnumSet.noneOf(Part.class);
        wanted.addAll(parts);
        wanted.addAll(warmed);
        if (done != null && tried.containsAll(wanted)) {
            return done;
        }
        if (running) { // the scratch engine's own constructor
            return new Result(0, false, Double.NaN, 0, Set.of());
        }
        running = true;
        long t0 = System.nanoTime();
        long deadline = t0 + BUDGET_NANOS;
        double[] loop = {Double.NaN, 0};
        Set<Part> writers = wanted;
        try {
            if (done == null) {
                oneTimeCosts();
                trace("one-time costs", t0);
                // queue the loop for compilation, then run the add path while the compiler works
                double[] first =
                        loop(
                                probeSegment(),
                                scratchRanges(),
                                15,
                                TRIGGER_ROUNDS,
                                deadline,
                                writers);
                trace(
                        (int) first[1] + " rounds on scratch memory, last " + first[0] + " ns/page",
                        t0);
                loop[1] += first[1];
            }
            double[] rest = pipelineAndLoop(config, wanted, deadline, t0);
            loop[0] = rest[0];
            loop[1] += rest[1];
            warmed.addAll(wanted);
        } catch (RuntimeException | LinkageError e) {
            // a warm-up that fails must not stop the engine: the report then says the loop was not
            // compiled
            trace("failed: " + e, t0);
            loop = loopOnScratch(deadline, writers);
        } finally {
            tried.addAll(wanted);
            running = false;
        }
        boolean compiled = loop[0] < COMPILED_NS_PER_PAGE;
        double millis = (System.nanoTime() - t0) / 1e6 + (done == null ? 0 : done.millis());
        int rounds = (int) loop[1] + (done == null ? 0 : done.rounds());
        done = new Result(millis, compiled, loop[0], rounds, warmed);
        trace("done: " + done, t0);
        return done;
    }

    private static void trace(String what, long t0) {
        if (TRACE) {
            System.err.printf(
                    "zonedev warm-up: %.1f ms: %s%n", (System.nanoTime() - t0) / 1e6, what);
        }
    }

    /** The warm-up's result, or null when none ran in this JVM. */
    public static synchronized Result result() {
        return done;
    }

    /**
     * Checks now, in a few microseconds when compiled, that the page loop still runs at compiled
     * speed (its code may have been thrown away since the warm-up). Call it outside any timed part.
     */
    public static boolean loopCompiledNow() {
        MemorySegment scratch = probeSegment();
        Set<Part> writers;
        synchronized (EngineWarmUp.class) {
            writers = Set.copyOf(warmed);
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            best = Math.min(best, timeLoop(scratch, 0, scratch.byteSize() >> 6, 0, 1, writers));
        }
        return best < COMPILED_NS_PER_PAGE;
    }

    private static synchronized MemorySegment probeSegment() {
        if (probe == null) {
            probe = Arena.global().allocate(4096L << 6, 4096);
        }
        return probe;
    }

    /**
     * Starts {@code threads} threads of {@code executor}, so no thread start falls in a timed add.
     */
    static void prestart(ExecutorService executor, int threads) {
        CountDownLatch started = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            executor.execute(
                    () -> {
                        started.countDown();
                        try {
                            started.await(); // hold this thread until all are up, so each task
                            // gets its own
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
        }
        boolean interrupted = false;
        while (true) {
            try {
                started.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** UUIDs, the info-block code and every segment and session class, before the loop compiles. */
    private static void oneTimeCosts() {
        UUID uuid = UUID.randomUUID();
        PfnInfoBlock block =
                new PfnInfoBlock(
                        InfoBlockKind.FSDAX,
                        uuid,
                        UUID.randomUUID(),
                        PfnInfoBlock.VERSION_MAJOR,
                        PfnInfoBlock.VERSION_MINOR,
                        2L << 20,
                        512,
                        MapLocation.MEM,
                        2L << 20,
                        4L << 20);
        MemorySegment page = MemorySegment.ofArray(new byte[(int) PfnInfoBlock.SIZE]);
        block.encode(page);
        PfnInfoBlock.decode(page, "warm-up");
        PfnInfoBlock.isBlank(page);
        MemorySegment.ofArray(new char[1]).set(ValueLayout.JAVA_CHAR, 0, 'x');
        MemorySegment.ofArray(new short[1]).set(ValueLayout.JAVA_SHORT, 0, (short) 1);
        MemorySegment.ofArray(new int[1]).set(ValueLayout.JAVA_INT, 0, 1);
        MemorySegment.ofArray(new long[1]).set(ValueLayout.JAVA_LONG, 0, 1L);
        MemorySegment.ofArray(new float[1]).set(ValueLayout.JAVA_FLOAT, 0, 1f);
        MemorySegment.ofArray(new double[1]).set(ValueLayout.JAVA_DOUBLE, 0, 1d);
        Arena.ofAuto().allocate(8).set(ValueLayout.JAVA_LONG, 0, 1L);
        try (Arena confined = Arena.ofConfined()) {
            confined.allocate(8).set(ValueLayout.JAVA_LONG, 0, 1L);
        }
        try {
            Path file = Files.createTempFile("zonedev-warm-up", ".img");
            try (FileChannel ch =
                            FileChannel.open(
                                    file,
                                    StandardOpenOption.READ,
                                    StandardOpenOption.WRITE,
                                    StandardOpenOption.DELETE_ON_CLOSE);
                    Arena shared = Arena.ofShared()) {
                ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096, shared)
                        .set(ValueLayout.JAVA_LONG, 0, 1L);
            }
        } catch (IOException e) {
            // no temp directory: the mapped segment class is then loaded by the first file
            // namespace
        }
        MemmapEvents.prepare();
    }

    /**
     * The add path on a scratch engine (a RAM memmap, and as {@code parts} ask a file-backed one
     * with an altmap and one of compound pages), then the sub-range loop on its vmemmap until
     * compiled; returns {ns/page, rounds}.
     */
    private static double[] pipelineAndLoop(
            EngineConfig config, Set<Part> parts, long deadline, long t0) {
        String arch = config.extraArches().isEmpty() ? config.arch() : "x86_64";
        EngineConfig scratchConfig =
                EngineConfig.defaults()
                        .withArch(arch)
                        .withStrategy(config.strategy())
                        .withWorkers(config.workers())
                        .withRangesPerWorker(config.rangesPerWorker())
                        .withPageInit(config.pageInit())
                        .withPluginLoader(config.pluginLoader());
        Path file = null;
        List<DeviceMemory> memories = new ArrayList<>();
        List<DevicePagemap> pagemaps = new ArrayList<>();
        try (Engine scratch = Engine.create(scratchConfig)) {
            trace("scratch engine", t0);
            int shift = Long.numberOfTrailingZeros(scratch.arch().sectionSize()) - 12;
            List<long[]> ranges = new ArrayList<>();
            try {
                PhysicalRange ram = new PhysicalRange(0, RAM_SCRATCH_BYTES);
                DevicePagemap a = add(scratch, memories, pagemaps, ram, null, Optional.empty(), 0);
                ranges.add(new long[] {ram.startPfn(), ram.endPfn(), a.firstDevicePfn(), a.id()});
                if (parts.contains(Part.FILE_BACKED)) {
                    file = Files.createTempFile("zonedev-warm-up", ".img");
                    Files.delete(file); // DeviceMemory.file creates it, as for a new namespace
                    PhysicalRange dev = new PhysicalRange(512L << 20, DEV_SCRATCH_BYTES);
                    Optional<VmemAltmap> altmap =
                            PfnLayout.compute("warm-up", dev, 2L << 20, MapLocation.DEV)
                                    .altmap(dev);
                    DevicePagemap b = add(scratch, memories, pagemaps, dev, file, altmap, 0);
                    long bInit = dev.startPfn() + altmap.map(VmemAltmap::reserve).orElse(0L);
                    ranges.add(new long[] {bInit, dev.endPfn(), b.firstDevicePfn(), b.id()});
                }
                if (parts.contains(Part.COMPOUND)) {
                    PhysicalRange compound = new PhysicalRange(1L << 30, COMPOUND_SCRATCH_BYTES);
                    add(
                            scratch,
                            memories,
                            pagemaps,
                            compound,
                            null,
                            Optional.empty(),
                            COMPOUND_ORDER);
                }
                trace("added " + pagemaps.size(), t0);
                for (DevicePagemap p : pagemaps) {
                    p.memmapSync(p.firstDevicePfn() + 100, 1);
                }
                for (DevicePagemap p : pagemaps) {
                    p.sync();
                }
                trace("synced", t0);
                return loop(
                        scratch.space().memmap(),
                        ranges.toArray(long[][]::new),
                        shift,
                        Integer.MAX_VALUE,
                        deadline,
                        parts);
            } finally {
                for (DevicePagemap p : pagemaps) {
                    p.close();
                }
                for (DeviceMemory m : memories) {
                    scratch.physicalMemory().unregister(m.range());
                    m.close();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind
                }
            }
        }
    }

    /**
     * Registers memory for {@code range} (anonymous, or backed by {@code file}) and adds it
     * asynchronously, as a namespace's create does; the memory and the pagemap are appended to the
     * lists, which the caller releases.
     */
    private static DevicePagemap add(
            Engine scratch,
            List<DeviceMemory> memories,
            List<DevicePagemap> pagemaps,
            PhysicalRange range,
            Path file,
            Optional<VmemAltmap> altmap,
            int vmemmapShift)
            throws IOException {
        DeviceMemory memory =
                file == null
                        ? DeviceMemory.anonymous("warm-up" + memories.size(), range)
                        : DeviceMemory.file("warm-up" + memories.size(), range, file);
        memories.add(memory);
        scratch.physicalMemory().register(memory);
        DevicePagemap p =
                scratch.memremapPages(new PagemapRequest(range, 0, altmap, true, vmemmapShift));
        pagemaps.add(p);
        return p;
    }

    /**
     * Rounds over the given ranges {init start, end, device start, pgmap id} until compiled (or
     * {@code maxRounds}, or the deadline); returns {ns/page of the last round, rounds}. Each round
     * runs the {@link PageInit#FIELDS} writer and, as {@code parts} ask, the {@link
     * PageInit#TEMPLATE} one and the compound one ({@link CompoundPage#init}, 2 MiB pages); its
     * figure is the slowest one's: the loop counts as compiled only when all are.
     */
    private static double[] loop(
            MemorySegment memmap,
            long[][] ranges,
            int shift,
            int maxRounds,
            long deadline,
            Set<Part> parts) {
        int fast = 0;
        int rounds = 0;
        double last = Double.NaN;
        // past the deadline it still runs enough rounds to give a verdict (microseconds when
        // compiled)
        while (fast < FAST_ROUNDS
                && rounds < maxRounds
                && (rounds < FAST_ROUNDS || System.nanoTime() < deadline)) {
            if (rounds >= TRIGGER_ROUNDS && fast == 0) {
                LockSupport.parkNanos(
                        PAUSE_NANOS); // queued by now: spinning only slows the compiler down
            }
            last = slowestWriter(memmap, ranges, shift, parts);
            fast = last < COMPILED_NS_PER_PAGE ? fast + 1 : 0;
            rounds++;
        }
        return new double[] {last, rounds};
    }

    /** ns/page of one round of each writer {@code parts} ask for (fields always): the slowest. */
    private static double slowestWriter(
            MemorySegment memmap, long[][] ranges, int shift, Set<Part> parts) {
        double ns = round(memmap, ranges, shift, PageInit.FIELDS);
        if (parts.contains(Part.TEMPLATE)) {
            ns = Math.max(ns, round(memmap, ranges, shift, PageInit.TEMPLATE));
        }
        if (parts.contains(Part.COMPOUND)) {
            ns = Math.max(ns, compoundRound(memmap, ranges, shift));
        }
        return ns;
    }

    /**
     * One round of the compound writer over the ranges: 2 MiB compound pages ({@link
     * CompoundPage#init}, every tail written, as without vmemmap reuse) from each range's start;
     * returns its ns/page.
     */
    private static double compoundRound(MemorySegment memmap, long[][] ranges, int shift) {
        long baseFlags = StructPage.baseFlags(0);
        long size = 1L << COMPOUND_ORDER;
        long t0 = System.nanoTime();
        long pages = 0;
        for (long[] r : ranges) {
            long end = Math.min(r[1], r[0] + ROUND_PAGES) & -size;
            for (long head = (r[0] + size - 1) & -size; head < end; head += size) {
                long flags = StructPage.flags(baseFlags, head, shift);
                CompoundPage.init(
                        memmap,
                        head << 6,
                        size - 1,
                        flags,
                        r[3],
                        COMPOUND_ORDER,
                        memmap.address() + (head << 6));
                pages += size;
            }
        }
        return pages == 0 ? 0 : (double) (System.nanoTime() - t0) / pages;
    }

    /**
     * One round of {@code writer} over the ranges, cut as sub-ranges are; returns its ns/page. The
     * template writer gets chunks of two staging blocks, so its block copy runs as in production.
     */
    private static double round(MemorySegment memmap, long[][] ranges, int shift, PageInit writer) {
        long baseFlags = StructPage.baseFlags(0);
        long chunk =
                writer == PageInit.TEMPLATE ? 2L * StructPageTemplate.STAGING_PAGES : CHUNK_PAGES;
        long t0 = System.nanoTime();
        long pages = 0;
        for (long[] r : ranges) {
            long end = Math.min(r[1], r[0] + ROUND_PAGES);
            for (long from = r[0]; from < end; from += chunk) {
                long to = Math.min(from + chunk, end);
                writeSubRange(writer, memmap, from, to, r[2], baseFlags, shift, r[3]);
                pages += to - from;
            }
        }
        return (double) (System.nanoTime() - t0) / pages;
    }

    /** One sub-range written by {@code writer} through the methods the memmap workers call. */
    private static void writeSubRange(
            PageInit writer,
            MemorySegment memmap,
            long from,
            long to,
            long deviceStart,
            long baseFlags,
            int shift,
            long pgmap) {
        if (writer == PageInit.TEMPLATE) {
            StructPageTemplate.initSubRange(
                    memmap,
                    from,
                    to,
                    deviceStart,
                    shift,
                    StructPageTemplate.altmap(baseFlags),
                    StructPageTemplate.device(baseFlags, pgmap));
        } else {
            StructPage.initSubRange(memmap, from, to, deviceStart, baseFlags, shift, pgmap);
        }
    }

    /** The loop alone on scratch memory, when the pipeline could not run (no built-in arch). */
    private static double[] loopOnScratch(long deadline, Set<Part> parts) {
        return loop(probeSegment(), scratchRanges(), 15, Integer.MAX_VALUE, deadline, parts);
    }

    /** Ranges of the scratch memory: one with an altmap prefix, one of device pages only. */
    private static long[][] scratchRanges() {
        long pages = probeSegment().byteSize() >> 6;
        return new long[][] {{0, pages / 4, pages / 8, 1}, {pages / 4, pages, 0, 2}};
    }

    /** ns per page of one pass of the slowest warmed page writer over {@code [from, to)}. */
    private static double timeLoop(
            MemorySegment memmap,
            long from,
            long to,
            long deviceStart,
            long pgmap,
            Set<Part> parts) {
        return slowestWriter(memmap, new long[][] {{from, to, deviceStart, pgmap}}, 15, parts);
    }
}
