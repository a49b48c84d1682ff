package dev.zonedev.core;

import dev.zonedev.api.PagemapRequest;
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
import java.util.Optional;
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
 * that engine's real vmemmap until it runs at compiled speed. "The loop" is both page writers
 * ({@link PageInit#FIELDS} through {@link StructPage#initSubRange}, {@link PageInit#TEMPLATE}
 * through {@link StructPageTemplate#initSubRange}), whichever the configuration picks, since a
 * caller may switch between them in one JVM; a round's speed is the slower writer's. The loop is
 * first run a few rounds on scratch memory, so that it is queued for C2 before (2) and compiles
 * while the add path runs; in (3) a slow round is followed by a 1 ms pause, since on two shared
 * cores a spinning warm-up only delays the compiler thread. The check is by speed, and it is
 * one-sided: the loop writes a page in 1.5–2 ns compiled by C2 (scratch memory in cache), ~80 ns
 * with C1 only ({@code -XX:TieredStopAtLevel=1}, measured) and ~1 µs interpreted, so a round under
 * {@link #COMPILED_NS_PER_PAGE} cannot come from anything but C2 code, and noise on a busy machine
 * can only make it slower (then the warm-up goes on, up to its budget, and says it did not get
 * there). Neither JFR's {@code jdk.Compilation} events (starting JFR costs what this is trying to
 * avoid) nor the management API (it tells total compile time, not which method is compiled at which
 * tier) can answer it as cheaply; {@code Compiler.codelist} over the DiagnosticCommand MBean can,
 * but starting the MBean server costs ~150 ms.
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

    /**
     * What the warm-up did.
     *
     * @param millis how long it took
     * @param loopCompiled true when the page loop ran at compiled (C2) speed at its end
     * @param nsPerPage the loop's speed in its last round
     * @param rounds rounds of the loop it took
     */
    public record Result(double millis, boolean loopCompiled, double nsPerPage, int rounds) {}

    private static final boolean TRACE = Boolean.getBoolean("zonedev.warmup.trace");
    private static Result done;
    private static boolean running;
    private static MemorySegment probe;

    private EngineWarmUp() {}

    /**
     * Runs the warm-up once per JVM with an engine configuration like {@code config}; later calls
     * wait for the first and return its result. A launcher may call it early on a thread of its
     * own, so that it overlaps argument parsing. Never throws.
     */
    public static synchronized Result ensure(EngineConfig config) {
        if (done != null) {
            return done;
        }
        if (running) { // the scratch engine's own constructor
            return new Result(0, false, Double.NaN, 0);
        }
        running = true;
        long t0 = System.nanoTime();
        long deadline = t0 + BUDGET_NANOS;
        double[] loop = {Double.NaN, 0};
        try {
            oneTimeCosts();
            trace("one-time costs", t0);
            // queue the loop for compilation, then run the add path while the compiler works
            double[] first = loop(probeSegment(), scratchRanges(), 15, TRIGGER_ROUNDS, deadline);
            trace((int) first[1] + " rounds on scratch memory, last " + first[0] + " ns/page", t0);
            loop = pipelineAndLoop(config, deadline, t0);
            loop[1] += first[1];
        } catch (RuntimeException | LinkageError e) {
            // a warm-up that fails must not stop the engine: the report then says the loop was not
            // compiled
            trace("failed: " + e, t0);
            loop = loopOnScratch(deadline);
        } finally {
            running = false;
        }
        boolean compiled = loop[0] < COMPILED_NS_PER_PAGE;
        done = new Result((System.nanoTime() - t0) / 1e6, compiled, loop[0], (int) loop[1]);
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
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            best = Math.min(best, timeLoop(scratch, 0, scratch.byteSize() >> 6, 0, 1));
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
     * The add path on a scratch engine (a RAM memmap and a file-backed one with an altmap), then
     * the sub-range loop on its vmemmap until compiled; returns {ns/page, rounds}.
     */
    private static double[] pipelineAndLoop(EngineConfig config, long deadline, long t0) {
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
        try (Engine scratch = Engine.create(scratchConfig)) {
            trace("scratch engine", t0);
            file = Files.createTempFile("zonedev-warm-up", ".img");
            Files.delete(file); // DeviceMemory.file creates it, as for a new namespace
            PhysicalRange ram = new PhysicalRange(0, RAM_SCRATCH_BYTES);
            PhysicalRange dev = new PhysicalRange(512L << 20, DEV_SCRATCH_BYTES);
            Optional<VmemAltmap> altmap =
                    PfnLayout.compute("warm-up", dev, 2L << 20, MapLocation.DEV).altmap(dev);
            try (DeviceMemory ramMemory = DeviceMemory.anonymous("warm-up0", ram);
                    DeviceMemory devMemory = DeviceMemory.file("warm-up1", dev, file)) {
                scratch.physicalMemory().register(ramMemory);
                scratch.physicalMemory().register(devMemory);
                DevicePagemap a =
                        scratch.memremapPages(new PagemapRequest(ram, 0, Optional.empty(), true));
                DevicePagemap b = scratch.memremapPages(new PagemapRequest(dev, 0, altmap, true));
                trace("added", t0);
                try {
                    a.memmapSync(a.firstDevicePfn() + 100, 1);
                    b.memmapSync(b.firstDevicePfn() + 100, 1);
                    a.sync();
                    b.sync();
                    trace("synced", t0);
                    int shift = Long.numberOfTrailingZeros(scratch.arch().sectionSize()) - 12;
                    long bInit = dev.startPfn() + altmap.map(VmemAltmap::reserve).orElse(0L);
                    return loop(
                            scratch.space().memmap(),
                            new long[][] {
                                {ram.startPfn(), ram.endPfn(), a.firstDevicePfn(), a.id()},
                                {bInit, dev.endPfn(), b.firstDevicePfn(), b.id()}
                            },
                            shift,
                            Integer.MAX_VALUE,
                            deadline);
                } finally {
                    a.close();
                    b.close();
                    scratch.physicalMemory().unregister(ram);
                    scratch.physicalMemory().unregister(dev);
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
     * Rounds over the given ranges {init start, end, device start, pgmap id} until compiled (or
     * {@code maxRounds}, or the deadline); returns {ns/page of the last round, rounds}. Each round
     * runs both page writers ({@link PageInit}), and its figure is the slower one's: the loop
     * counts as compiled only when both are.
     */
    private static double[] loop(
            MemorySegment memmap, long[][] ranges, int shift, int maxRounds, long deadline) {
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
            last =
                    Math.max(
                            round(memmap, ranges, shift, PageInit.FIELDS),
                            round(memmap, ranges, shift, PageInit.TEMPLATE));
            fast = last < COMPILED_NS_PER_PAGE ? fast + 1 : 0;
            rounds++;
        }
        return new double[] {last, rounds};
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
    private static double[] loopOnScratch(long deadline) {
        return loop(probeSegment(), scratchRanges(), 15, Integer.MAX_VALUE, deadline);
    }

    /** Ranges of the scratch memory: one with an altmap prefix, one of device pages only. */
    private static long[][] scratchRanges() {
        long pages = probeSegment().byteSize() >> 6;
        return new long[][] {{0, pages / 4, pages / 8, 1}, {pages / 4, pages, 0, 2}};
    }

    /** ns per page of one pass of the slower page writer over {@code [from, to)}. */
    private static double timeLoop(
            MemorySegment memmap, long from, long to, long deviceStart, long pgmap) {
        return Math.max(
                round(memmap, new long[][] {{from, to, deviceStart, pgmap}}, 15, PageInit.FIELDS),
                round(
                        memmap,
                        new long[][] {{from, to, deviceStart, pgmap}},
                        15,
                        PageInit.TEMPLATE));
    }
}
