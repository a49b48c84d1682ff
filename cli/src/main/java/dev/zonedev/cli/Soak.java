package dev.zonedev.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.EngineWarmUp;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The soak run behind {@code zonedev soak}: {@link Plan#threads} threads, each with its own {@link
 * Random} derived from the seed, run random operations ({@link Kind}) against one platform per
 * {@link Target} (every arch times every strategy). Each thread owns the namespaces it creates, so
 * its model of them (enabled or not, what was written where, as SHA-256 hashes) is exact; the
 * engine-wide parts (the background gate, the fault injector, the physical address space, the
 * workers) are shared, so threads do interfere the way a user's threads would. After every
 * operation its own invariants are checked (a pfn handed out has initialized struct pages, an idle
 * or synced memmap audits clean, teardown leaves no reference and no registration, data reads
 * back); every {@value #CHECKPOINT_EVERY} operations per thread all threads meet at a barrier and
 * the last to arrive checks the global ones (no vmemmap lock held, no range registered without an
 * enabled namespace, every namespace synced and audited, every record read back) and now and then
 * tears a platform down and restarts it from the info blocks of its file-backed namespaces. The
 * first failure stops the run: its step, invariant and replay command are printed and the exit code
 * is 1. A watchdog turns an operation that runs longer than {@link Plan#hangSeconds} into a failure
 * (a lost wakeup) with the stacks of the soak threads.
 */
final class Soak {
    /** Operations per thread between two checkpoints. */
    static final int CHECKPOINT_EVERY = 25;

    static final String KINDS =
            "create, destroy, enable, disable, fault, access, access-pfn, access-shared, write,"
                    + " read, sync, state, hold, release, inject, interrupt, interrupt-reprobe, interrupt-other, bad-input,"
                    + " claim-bound-file, reprobe, restart";

    /** The operation kinds with their weights in the random choice. */
    enum Kind {
        CREATE("create", 10),
        DESTROY("destroy", 4),
        ENABLE("enable", 4),
        DISABLE("disable", 4),
        FAULT("fault", 9),
        ACCESS("access", 6),
        ACCESS_PFN("access-pfn", 9),
        SHARED("access-shared", 3),
        WRITE("write", 10),
        READ("read", 5),
        SYNC("sync", 5),
        STATE("state", 4),
        HOLD("hold", 2),
        RELEASE("release", 3),
        INJECT("inject", 3),
        INTERRUPT("interrupt", 4),
        INTERRUPT_REPROBE("interrupt-reprobe", 1),
        INTERRUPT_OTHER("interrupt-other", 2),
        BAD_INPUT("bad-input", 5),
        CLAIM("claim-bound-file", 1),
        REPROBE("reprobe", 3),
        /** Platform teardown and restart, done at checkpoints rather than drawn. */
        RESTART("restart", 0);

        final String text;
        final int weight;

        Kind(String text, int weight) {
            this.text = text;
            this.weight = weight;
        }

        static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.text.equals(text)) {
                    return k;
                }
            }
            throw new UsageException(
                    "--exclude " + text + " is not an operation kind; accepted: " + KINDS);
        }
    }

    /**
     * What a platform is built from: an arch and an engine strategy. The engine has one strategy
     * today (the seed's); when it gets more, list them in {@link #STRATEGIES} and apply the
     * strategy in {@link #config}: every soak then covers arch x strategy.
     */
    record Target(String arch, String strategy) {
        static final List<String> STRATEGIES = List.of("seed");

        static List<Target> all(List<String> arches) {
            List<Target> all = new ArrayList<>();
            for (String a : arches) {
                for (String s : STRATEGIES) {
                    all.add(new Target(a, s));
                }
            }
            return List.copyOf(all);
        }

        EngineConfig config(int workers, int rangesPerWorker, ClassLoader loader) {
            return EngineConfig.defaults()
                    .withArch(arch)
                    .withWorkers(workers)
                    .withRangesPerWorker(rangesPerWorker)
                    .withPluginLoader(loader);
        }

        String label() {
            return arch + "/" + strategy;
        }
    }

    /**
     * A checked soak request. {@code minutes} 0 means no time limit, {@code operations} 0 no
     * operation limit.
     */
    record Plan(
            long seed,
            int minutes,
            long operations,
            int threads,
            Path dataDir,
            long maxSize,
            Set<Kind> excluded,
            int hangSeconds,
            boolean json,
            boolean progress,
            List<Target> targets,
            ClassLoader loader,
            boolean minutesGiven,
            boolean dataDirGiven) {
        /** Operations each thread runs at most. */
        long perThread() {
            return operations == 0 ? Long.MAX_VALUE : (operations + threads - 1) / threads;
        }

        /** The command that replays this run far enough to reach {@code step} of any thread. */
        String replay(long step, Path dir) {
            StringBuilder sb = new StringBuilder("zonedev soak --seed ").append(seed);
            if (minutesGiven) {
                sb.append(" --minutes ").append(minutes);
            }
            long ops =
                    step > 0
                            ? Math.min(
                                    operations == 0 ? Long.MAX_VALUE : operations, step * threads)
                            : operations;
            if (ops > 0 && ops != Long.MAX_VALUE) {
                sb.append(" --operations ").append(ops);
            }
            sb.append(" --threads ").append(threads);
            if (maxSize != (1L << 30)) {
                sb.append(" --max-size ").append(maxSize >> 20).append('M');
            }
            if (!excluded.isEmpty()) {
                sb.append(" --exclude ")
                        .append(
                                excluded.stream()
                                        .map(k -> k.text)
                                        .sorted()
                                        .collect(Collectors.joining(",")));
            }
            if (dataDirGiven) {
                sb.append(" --data-dir ").append(dir);
            }
            return sb.toString();
        }
    }

    /** A test-only breach the soak must detect: planted at the first checkpoint. */
    enum Breach {
        /** One bit flipped in struct pages of a map=dev namespace (through its own storage). */
        STRUCT_PAGE,
        /** One byte of recorded data overwritten behind the soak's back. */
        DATA,
        /** The checkpoint waits for a wakeup nobody sends: the watchdog must call it a hang. */
        HANG
    }

    /** A broken invariant or an unexpected outcome: stops the run. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String invariant;

        Failure(String invariant, String message) {
            super(message);
            this.invariant = invariant;
        }
    }

    static final String INV1 =
            "invariant 1 (no pfn reaches a consumer before its struct pages are initialized)";
    static final String INV2 = "invariant 2 (every struct page initialized exactly once)";
    static final String INV3 =
            "invariant 3 (memmap_state idle, or a sync returned => every page initialized)";
    static final String INV4 =
            "invariant 4 (a caller that asks for no pfn initializes and waits for nothing)";
    static final String INV5 =
            "invariant 5 (async on an arch without async ends as a synchronous add)";
    static final String INV6 = "invariant 6 (no vmemmap lock held after a failure)";
    static final String INV7 =
            "invariant 7 (after teardown the pgmap reference count is zero and nothing is left"
                    + " registered)";
    static final String INV8 =
            "invariant 8 (bad input gets a clear error and no stored data is lost)";
    static final String INV9 =
            "invariant 9 (teardown runs once and completes, also from an interrupted thread)";
    static final String INV10 = "invariant 10 (a waiter never waits on a state nobody will change)";
    static final String DATA =
            "data intact (what was written reads back, also after disable, re-probe and restart)";
    static final String OUTCOME =
            "expected outcome (only EBUSY, EEXIST for an existing name, ENOMEM from an"
                    + " injected fault and EINTR after an interrupt are legitimate errors)";
    static final String HONEST =
            "honest failure state (a failure that healed is not reported as present)";

    /** The counts printed at the end. Thread-safe. */
    static final class Counts {
        final Map<Kind, LongAdder> ops = new EnumMap<>(Kind.class);
        final Map<String, LongAdder> expectedErrors = new ConcurrentHashMap<>();
        final LongAdder faultsArmed = new LongAdder();
        final LongAdder faultsInjected = new LongAdder();
        final LongAdder interrupts = new LongAdder();
        final LongAdder interruptsSeen = new LongAdder();
        final LongAdder badInputs = new LongAdder();
        final LongAdder pagesVerified = new LongAdder();
        final LongAdder bytesWritten = new LongAdder();
        final LongAdder bytesChecked = new LongAdder();
        final LongAdder checkpoints = new LongAdder();
        final LongAdder restarts = new LongAdder();
        final LongAdder reprobes = new LongAdder();
        final LongAdder namespacesCreated = new LongAdder();

        Counts() {
            for (Kind k : Kind.values()) {
                ops.put(k, new LongAdder());
            }
        }

        void expected(String code) {
            expectedErrors.computeIfAbsent(code, c -> new LongAdder()).increment();
        }

        long operations() {
            return ops.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    /**
     * One platform per target, replaced at a restart. Touched by many threads; replaced only at
     * checkpoints.
     */
    static final class Live {
        final int index;
        final Target target;
        volatile Platform platform;
        volatile EngineConfig config;
        int generation;
        volatile boolean needsRestart;

        Live(int index, Target target) {
            this.index = index;
            this.target = target;
        }
    }

    final Plan plan;
    final PrintWriter out;
    final PrintWriter err;
    final Breach breach;
    final Counts counts = new Counts();
    final List<Live> lives = new ArrayList<>();
    final List<SoakWorker> workers = new ArrayList<>();
    final AtomicReference<Report> failure = new AtomicReference<>();
    final Deque<String> interruptLog = new ConcurrentLinkedDeque<>();

    /** Bumped at the start and the end of every access to another thread's namespace. */
    final java.util.concurrent.atomic.AtomicLong sharedEpoch =
            new java.util.concurrent.atomic.AtomicLong();

    final java.util.concurrent.atomic.AtomicInteger sharedInFlight =
            new java.util.concurrent.atomic.AtomicInteger();

    /** The checkpoints' own schedule (restart configs), used only inside checkpoints. */
    final Random checkpointRandom;

    final long startNanos = System.nanoTime();
    final long deadlineNanos;
    volatile boolean stop;
    Path dir;
    private boolean ownDir;
    private CyclicBarrier barrier;
    private long lastProgress = System.nanoTime();
    private boolean breachPlanted;

    /** The failure report: where, what, and what the thread did just before. */
    record Report(String invariant, String message, String where, long step, List<String> recent) {}

    Soak(Plan plan, PrintWriter out, PrintWriter err, Breach breach) {
        this.plan = plan;
        this.out = out;
        this.err = err;
        this.breach = breach;
        this.checkpointRandom = new Random(plan.seed() ^ 0x5DEECE66DL);
        this.deadlineNanos =
                plan.minutes() == 0
                        ? Long.MAX_VALUE
                        : startNanos + TimeUnit.MINUTES.toNanos(plan.minutes());
    }

    int run() throws InterruptedException {
        try {
            if (plan.dataDir() != null) {
                dir = plan.dataDir().toAbsolutePath();
            } else {
                dir = Files.createTempDirectory("zonedev-soak-" + plan.seed() + "-");
                ownDir = true;
            }
        } catch (IOException e) {
            throw new UsageException("cannot create a data directory: " + e.getMessage());
        }
        err.println(
                "zonedev soak: seed "
                        + plan.seed()
                        + ", "
                        + plan.threads()
                        + " threads, targets "
                        + plan.targets().stream().map(Target::label).toList()
                        + ", "
                        + (plan.minutes() > 0 ? plan.minutes() + " min" : "")
                        + (plan.minutes() > 0 && plan.operations() > 0 ? " or " : "")
                        + (plan.operations() > 0 ? plan.operations() + " operations" : "")
                        + ", namespaces up to "
                        + (plan.maxSize() >> 20)
                        + " MiB, data in "
                        + dir);
        err.flush();
        for (int i = 0; i < plan.targets().size(); i++) {
            Live live = new Live(i, plan.targets().get(i));
            boot(live);
            lives.add(live);
        }
        barrier = new CyclicBarrier(plan.threads(), this::checkpoint);
        CountDownLatch done = new CountDownLatch(plan.threads());
        for (int i = 0; i < plan.threads(); i++) {
            workers.add(new SoakWorker(this, i, new Random(mix(plan.seed(), i))));
        }
        for (SoakWorker w : workers) {
            w.start(done);
        }
        while (!done.await(1, TimeUnit.SECONDS)) {
            if (watch()) {
                return 1; // a hung thread cannot be stopped: reported, left behind (a daemon)
            }
        }
        Report f = failure.get();
        if (f == null) {
            try {
                finish();
            } catch (Failure e) {
                fail(e, "final teardown", 0, List.of());
            }
            f = failure.get();
        }
        print(f);
        if (f == null) {
            cleanUp();
        }
        return f == null ? 0 : 1;
    }

    /** A per-thread seed: the run's seed mixed with the thread's index (SplitMix64's finalizer). */
    static long mix(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    void boot(Live live) {
        int[] workerChoices = {1, 2, 4};
        int[] rangeChoices = {1, 7, 32, 128};
        live.config =
                live.target.config(
                        workerChoices[checkpointRandom.nextInt(workerChoices.length)],
                        rangeChoices[checkpointRandom.nextInt(rangeChoices.length)],
                        plan.loader());
        // its namespaces change from one generation to the next: every part, before any clock
        EngineWarmUp.ensure(live.config, EnumSet.allOf(EngineWarmUp.Part.class));
        live.platform = Platform.create(live.config);
        live.generation++;
        live.needsRestart = false;
    }

    /** Called by a worker after each operation that ends a checkpoint interval. */
    boolean awaitCheckpoint() {
        try {
            barrier.await();
            return !stop;
        } catch (BrokenBarrierException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records the first failure and stops every thread. */
    void fail(Failure f, String where, long step, List<String> recent) {
        if (failure.compareAndSet(
                null, new Report(f.invariant, f.getMessage(), where, step, recent))) {
            stop = true;
            CyclicBarrier b = barrier;
            if (b != null) {
                // breaks the threads waiting at the barrier; from a thread of its own, since a hung
                // checkpoint holds the barrier's lock
                Thread.ofPlatform().daemon().name("zonedev-soak-stop").start(b::reset);
            }
        }
    }

    /**
     * The watchdog: an operation older than the hang limit is a failure (invariant 10); true when
     * one hung.
     */
    private boolean watch() {
        long now = System.nanoTime();
        for (SoakWorker w : workers) {
            long started = w.currentStart;
            String what = w.current;
            if (what != null
                    && started != 0
                    && now - started > TimeUnit.SECONDS.toNanos(plan.hangSeconds())) {
                fail(
                        new Failure(
                                INV10,
                                what
                                        + " has run for more than "
                                        + plan.hangSeconds()
                                        + " s (a lost wakeup or"
                                        + " a teardown waiting for a reference nobody returns); stacks of the soak threads:\n"
                                        + stacks()),
                        w.label(),
                        w.step,
                        w.recent());
                print(failure.get());
                err.println(
                        "zonedev soak: the hung thread is left behind; the platforms are not torn down");
                err.flush();
                return true;
            }
        }
        if (plan.progress() && now - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
            lastProgress = now;
            err.printf(
                    Locale.ROOT,
                    "soak: %,d operations, %,d checkpoints, %,d pages verified, %,d bytes checked, %s"
                            + " elapsed%n",
                    counts.operations(),
                    counts.checkpoints.sum(),
                    counts.pagesVerified.sum(),
                    counts.bytesChecked.sum(),
                    elapsed());
            err.flush();
        }
        return false;
    }

    private String elapsed() {
        long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private String stacks() {
        StringBuilder sb = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            String name = info.getThreadName();
            if (!name.startsWith("zonedev-soak-") && !name.contains("memmap")) {
                continue;
            }
            sb.append('"').append(name).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                sb.append(" on ").append(info.getLockName());
            }
            sb.append('\n');
            for (StackTraceElement e : info.getStackTrace()) {
                sb.append("\tat ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    // ---- checkpoints -----------------------------------------------------------------------

    /** Runs in the last thread to reach the barrier, while every other soak thread waits. */
    private void checkpoint() {
        SoakWorker self = SoakWorker.CURRENT.get();
        String saved = self.current;
        self.begin("checkpoint " + (counts.checkpoints.sum() + 1));
        try {
            counts.checkpoints.increment();
            for (Live live : lives) {
                live.platform.engine().testing().backgroundGate().release();
                live.platform.engine().testing().faults().reset();
            }
            if (breach != null && !breachPlanted) {
                breachPlanted = true;
                SoakBreach.plant(this, breach, workers.getFirst(), lives.getFirst());
            }
            for (SoakWorker w : workers) {
                w.checkAll();
            }
            for (Live live : lives) {
                SoakChecks.global(this, live);
            }
            if (!plan.excluded().contains(Kind.RESTART)) {
                for (Live live : lives) {
                    if (live.needsRestart || checkpointRandom.nextInt(8) == 0) {
                        restart(live);
                    }
                }
            }
            if (System.nanoTime() > deadlineNanos) {
                stop = true;
            }
        } catch (Failure f) {
            fail(
                    f,
                    "checkpoint "
                            + counts.checkpoints.sum()
                            + " (in thread "
                            + self.index
                            + " after its step "
                            + self.step
                            + ")",
                    self.step,
                    self.recent());
        } catch (RuntimeException | Error e) {
            fail(
                    new Failure(OUTCOME, "checkpoint threw " + describe(e)),
                    "checkpoint " + counts.checkpoints.sum(),
                    self.step,
                    self.recent());
        } finally {
            self.current = saved;
            self.currentStart = 0;
        }
    }

    /**
     * Tears a platform down (every pagemap must end closed with no reference) and boots it again.
     */
    void restart(Live live) {
        counts.ops.get(Kind.RESTART).increment();
        closePlatform(live, "platform teardown");
        boot(live);
        counts.restarts.increment();
        for (SoakWorker w : workers) {
            w.afterRestart(live);
        }
    }

    /**
     * Closes {@code live}'s platform; every pagemap it had must end closed with no reference
     * (invariant 7).
     */
    private void closePlatform(Live live, String what) {
        List<DevicePagemap> before = List.copyOf(live.platform.engine().memremap().livePagemaps());
        counts.faultsInjected.add(live.platform.engine().testing().faults().injected());
        live.platform.close();
        for (DevicePagemap p : before) {
            if (!p.closed() || p.referenceCount() != 0) {
                throw new Failure(
                        INV7,
                        what
                                + " of "
                                + live.target.label()
                                + " left pgmap "
                                + p.id()
                                + " at "
                                + p.range()
                                + (p.closed() ? "" : " not torn down")
                                + " with "
                                + p.referenceCount()
                                + " references");
            }
        }
    }

    /** At the end: every platform torn down with its pagemaps released. */
    private void finish() {
        for (Live live : lives) {
            live.platform.engine().testing().backgroundGate().release();
            live.platform.engine().testing().faults().reset();
        }
        for (SoakWorker w : workers) {
            w.checkAll();
        }
        for (Live live : lives) {
            SoakChecks.global(this, live);
            closePlatform(live, "final teardown");
        }
    }

    private void cleanUp() {
        for (SoakWorker w : workers) {
            w.deleteFiles();
        }
        if (ownDir) {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                err.println("zonedev soak: could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        StackTraceElement[] st = e.getStackTrace();
        for (int i = 0; i < Math.min(6, st.length); i++) {
            sb.append("\n\tat ").append(st[i]);
        }
        return sb.toString();
    }

    // ---- the totals --------------------------------------------------------------------------

    /** The totals as JSON. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Totals(
            long seed,
            int threads,
            List<String> targets,
            double minutes,
            long operations,
            Map<String, Long> operationsByKind,
            Map<String, Long> expectedErrors,
            long faultsArmed,
            long faultsInjected,
            long interrupts,
            long interruptsSeen,
            long badInputs,
            long pagesVerified,
            long bytesWritten,
            long bytesChecked,
            long namespacesCreated,
            long checkpoints,
            long restarts,
            long reprobes,
            int failures,
            Report failure,
            String replay,
            String dataDir,
            boolean ok) {}

    Totals totals(Report f) {
        long injectedNow = 0;
        for (Live live : lives) {
            Platform p = live.platform;
            if (p != null && f != null) {
                injectedNow += p.engine().testing().faults().injected();
            }
        }
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            byKind.put(k.text, counts.ops.get(k).sum());
        }
        Map<String, Long> expected = new java.util.TreeMap<>();
        counts.expectedErrors.forEach((k, v) -> expected.put(k, v.sum()));
        double minutes = Math.round((System.nanoTime() - startNanos) / 6e8) / 100.0;
        return new Totals(
                plan.seed(),
                plan.threads(),
                plan.targets().stream().map(Target::label).toList(),
                minutes,
                counts.operations(),
                byKind,
                expected,
                counts.faultsArmed.sum(),
                counts.faultsInjected.sum() + injectedNow,
                counts.interrupts.sum(),
                counts.interruptsSeen.sum(),
                counts.badInputs.sum(),
                counts.pagesVerified.sum(),
                counts.bytesWritten.sum(),
                counts.bytesChecked.sum(),
                counts.namespacesCreated.sum(),
                counts.checkpoints.sum(),
                counts.restarts.sum(),
                counts.reprobes.sum(),
                f == null ? 0 : 1,
                f,
                f == null ? null : plan.replay(f.step(), dir),
                f == null ? null : dir.toString(),
                f == null);
    }

    private synchronized void print(Report f) {
        Totals t = totals(f);
        if (f != null) {
            err.println("zonedev soak: FAILED at " + f.where() + ": " + f.invariant());
            err.println("  " + f.message().replace("\n", "\n  "));
            if (!f.recent().isEmpty()) {
                err.println("  the thread's last steps:");
                for (String r : f.recent()) {
                    err.println("    " + r);
                }
            }
            List<String> interrupts = List.copyOf(interruptLog);
            if (!interrupts.isEmpty()) {
                err.println("  latest interrupts: " + interrupts);
            }
            err.println("  data kept in " + dir);
            err.println("replay: " + t.replay());
            err.flush();
        }
        if (plan.json()) {
            try {
                out.println(Report_JSON.writeValueAsString(t));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.printf(
                    Locale.ROOT,
                    "soak %s: seed %d, %d threads, targets %s, %.2f min%n",
                    t.ok() ? "passed" : "FAILED",
                    t.seed(),
                    t.threads(),
                    t.targets(),
                    t.minutes());
            out.printf(Locale.ROOT, "operations        %,d%n", t.operations());
            out.println(
                    "  by kind         "
                            + t.operationsByKind().entrySet().stream()
                                    .filter(e -> e.getValue() > 0)
                                    .map(e -> e.getKey() + " " + e.getValue())
                                    .collect(Collectors.joining(", ")));
            out.println(
                    "expected errors   "
                            + (t.expectedErrors().isEmpty()
                                    ? "none"
                                    : t.expectedErrors().entrySet().stream()
                                            .map(e -> e.getKey() + " " + e.getValue())
                                            .collect(Collectors.joining(", "))));
            out.printf(
                    Locale.ROOT,
                    "faults            %,d armed, %,d injected%n",
                    t.faultsArmed(),
                    t.faultsInjected());
            out.printf(
                    Locale.ROOT,
                    "interrupts        %,d sent, %,d answered with EINTR%n",
                    t.interrupts(),
                    t.interruptsSeen());
            out.printf(
                    Locale.ROOT,
                    "bad inputs        %,d (all refused, stored data unchanged)%n",
                    t.badInputs());
            out.printf(
                    Locale.ROOT,
                    "namespaces        %,d created, %,d re-probed from their info blocks%n",
                    t.namespacesCreated(),
                    t.reprobes());
            out.printf(Locale.ROOT, "pages verified    %,d%n", t.pagesVerified());
            out.printf(
                    Locale.ROOT,
                    "data              %,d bytes written, %,d bytes checked%n",
                    t.bytesWritten(),
                    t.bytesChecked());
            out.printf(
                    Locale.ROOT,
                    "checkpoints       %,d (%,d platform restarts)%n",
                    t.checkpoints(),
                    t.restarts());
            out.printf(Locale.ROOT, "failures          %d%n", t.failures());
            if (f != null) {
                out.println("failure           " + f.invariant() + " at " + f.where());
                out.println("replay            " + t.replay());
            }
        }
        out.flush();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper Report_JSON =
            dev.zonedev.cli.Report.Mappers.JSON;

    static String hex(long v) {
        return String.format("%#x", v);
    }

    static Duration hangLimit(Plan plan) {
        return Duration.ofSeconds(plan.hangSeconds());
    }

    static String list(long[] values) {
        return Arrays.toString(values);
    }

    /** The namespaces of {@code p} by name, without throwing for absent ones. */
    static Namespace find(Platform p, String name) {
        for (Namespace ns : p.namespaces()) {
            if (ns.name().equals(name)) {
                return ns;
            }
        }
        return null;
    }

    static String specText(NamespaceSpec s) {
        return s.name()
                + ":"
                + s.mode().text()
                + ","
                + (s.size() >> 20)
                + "M"
                + (s.options().containsKey("map") ? ",map=" + s.options().get("map") : "")
                + ",align="
                + (s.align() >= (1 << 20) ? (s.align() >> 20) + "M" : (s.align() >> 10) + "K")
                + (s.file().isPresent() ? ",file=" + s.file().get().getFileName() : "");
    }
}
