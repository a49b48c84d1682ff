package dev.zonedev.cli;

import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DaxMapping;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PageFaults;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.cli.Soak.Failure;
import dev.zonedev.cli.Soak.Kind;
import dev.zonedev.cli.Soak.Live;
import dev.zonedev.cli.SoakModel.Detached;
import dev.zonedev.cli.SoakModel.Ns;
import dev.zonedev.cli.SoakModel.Rec;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.MemmapAudit;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.core.VmemmapLevel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One soak thread: draws operations from its own {@link Random}, runs them on the namespaces it
 * owns and checks each one's invariants right after it. Its model ({@link SoakModel}) is touched by
 * itself and, while it waits at the barrier, by the checkpoint.
 */
final class SoakWorker {
    static final ThreadLocal<SoakWorker> CURRENT = new ThreadLocal<>();

    /** Live namespaces a thread owns at most. */
    static final int MAX_OWN = 4;

    /** Detached files a thread keeps at most (older ones are deleted). */
    static final int MAX_DETACHED = 3;

    private static final long MIB = 1L << 20;
    private static final long[] SIZES_MIB = {
        2, 4, 6, 10, 34, 64, 130, 256, 512, 1024, 2048, 4096, 8192, 16384
    };
    private static final int[] SIZE_WEIGHTS = {3, 3, 3, 4, 5, 5, 4, 3, 2, 2, 1, 1, 1, 1};

    final Soak soak;
    final int index;
    final Random r;
    final List<Ns> own = new ArrayList<>();
    final List<Detached> detached = new ArrayList<>();
    private final Set<Path> files = new HashSet<>();
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final Object interruptLock = new Object();
    private boolean inEngine;
    private volatile boolean interruptedByOther;
    private boolean interruptedSelf;
    private int names;
    private Thread thread;
    volatile String current;
    volatile long currentStart;
    volatile long step;

    SoakWorker(Soak soak, int index, Random r) {
        this.soak = soak;
        this.index = index;
        this.r = r;
    }

    String label() {
        return "step " + step + " of thread " + index + " (t" + index + "#" + step + ")";
    }

    synchronized List<String> recent() {
        return List.copyOf(recent);
    }

    private synchronized void remember(String line) {
        recent.addLast(line);
        while (recent.size() > 10) {
            recent.removeFirst();
        }
    }

    void begin(String what) {
        current = what;
        currentStart = System.nanoTime();
    }

    void start(CountDownLatch done) {
        thread =
                Thread.ofPlatform()
                        .daemon()
                        .name("zonedev-soak-" + index)
                        .start(
                                () -> {
                                    CURRENT.set(this);
                                    try {
                                        loop();
                                    } finally {
                                        done.countDown();
                                    }
                                });
    }

    private void loop() {
        long quota = soak.plan.perThread();
        for (long op = 1; op <= quota && !soak.stop; op++) {
            step = op;
            Kind kind = draw();
            ran = null;
            begin("t" + index + "#" + op + " " + kind.text);
            try {
                String what = run(kind);
                count(kind); // no-op when the step counted what it ran
                remember(
                        "t"
                                + index
                                + "#"
                                + op
                                + " "
                                + (ran == null ? kind : ran).text
                                + " "
                                + what);
            } catch (Failure f) {
                remember(
                        "t"
                                + index
                                + "#"
                                + op
                                + " "
                                + (current == null ? kind.text : current)
                                + " -> FAILED");
                soak.fail(
                        f,
                        label()
                                + ", "
                                + (ran == null ? kind : ran).text
                                + (lastTarget.isEmpty() ? "" : " on " + lastTarget),
                        op,
                        recent());
                break;
            } catch (RuntimeException | Error e) {
                remember("t" + index + "#" + op + " " + kind.text + " -> threw");
                soak.fail(
                        new Failure(Soak.OUTCOME, current + " threw " + Soak.describe(e)),
                        label() + ", " + kind.text,
                        op,
                        recent());
                break;
            } finally {
                Thread.interrupted();
                currentStart = 0;
                current = null;
            }
            if ((op % Soak.CHECKPOINT_EVERY == 0 || op == quota) && !soak.awaitCheckpoint()) {
                break;
            }
        }
    }

    private String lastTarget = "";

    /**
     * The kind that ran in this step (a drawn kind falls back to another when it has nothing to
     * work on).
     */
    private Kind ran;

    /** Counts the kind that runs now; the first one counted in a step names the step. */
    void count(Kind kind) {
        if (ran == null) {
            ran = kind;
            soak.counts.ops.get(kind).increment();
        }
    }

    private Kind draw() {
        int total = 0;
        for (Kind k : Kind.values()) {
            total += weight(k);
        }
        int x = r.nextInt(total);
        for (Kind k : Kind.values()) {
            x -= weight(k);
            if (x < 0) {
                return k;
            }
        }
        return Kind.CREATE;
    }

    private int weight(Kind k) {
        if (soak.plan.excluded().contains(k)) {
            return 0;
        }
        if (k == Kind.INTERRUPT_OTHER && soak.plan.threads() == 1) {
            return 0;
        }
        return k.weight;
    }

    // ---- engine calls and outcomes ----------------------------------------------------------

    /** Runs an engine call while other threads may interrupt this one. */
    private <T> T engine(Supplier<T> call) {
        synchronized (interruptLock) {
            inEngine = true;
        }
        try {
            return call.get();
        } finally {
            synchronized (interruptLock) {
                inEngine = false;
            }
        }
    }

    private void engineRun(Runnable call) {
        engine(
                () -> {
                    call.run();
                    return null;
                });
    }

    /** Delivers an interrupt when this thread is inside an engine call; true when delivered. */
    boolean interruptFrom(String by) {
        synchronized (interruptLock) {
            if (!inEngine || thread == null) {
                return false;
            }
            interruptedByOther = true;
            thread.interrupt();
            soak.interruptLog.addLast(by + " -> t" + index + "#" + step + " " + current);
            while (soak.interruptLog.size() > 8) {
                soak.interruptLog.pollFirst();
            }
            return true;
        }
    }

    /** Clears this thread's interrupt state after an operation. */
    private void clearInterrupts() {
        Thread.interrupted();
        synchronized (interruptLock) {
            interruptedByOther = false;
        }
        interruptedSelf = false;
    }

    /**
     * Judges an error: EINTR after an interrupt of this thread and ENOMEM from an injected fault
     * are legitimate anywhere; {@code allowed} codes are legitimate for this call.
     */
    private void judge(ZoneDeviceException e, String what, ErrorCode... allowed) {
        judge(e, what, false, allowed);
    }

    /**
     * As above; {@code admits}: a bind that may be refused for want of RAM for its memmap (ENOMEM
     * naming it).
     */
    private void judge(ZoneDeviceException e, String what, boolean admits, ErrorCode... allowed) {
        ErrorCode code = e.code();
        if (code == ErrorCode.INTERRUPTED && (interruptedSelf || interruptedByOther)) {
            soak.counts.interruptsSeen.increment();
            soak.counts.expected(code.errno());
            return;
        }
        if (code == ErrorCode.OUT_OF_MEMORY
                && String.valueOf(e.getMessage()).contains("injected")) {
            soak.counts.expected(code.errno());
            return;
        }
        if (code == ErrorCode.OUT_OF_MEMORY
                && admits
                && String.valueOf(e.getMessage()).contains("can use only")) {
            soak.counts.expected(
                    code.errno() + " (memory admission)"); // the machine is short of RAM just now
            return;
        }
        for (ErrorCode a : allowed) {
            if (a == code) {
                soak.counts.expected(code.errno());
                return;
            }
        }
        throw new Failure(
                Soak.OUTCOME,
                what
                        + " failed with "
                        + e.getMessage()
                        + (code == ErrorCode.EXISTS
                                ? " although no namespace of that name or range exists: a range left"
                                        + " registered by an earlier teardown or failed create (issue 9 #2); latest interrupts: "
                                        + List.copyOf(soak.interruptLog)
                                : ""));
    }

    // ---- the model --------------------------------------------------------------------------

    private Live live(Ns m) {
        return soak.lives.get(m.target);
    }

    private Platform platform(Ns m) {
        return live(m).platform;
    }

    private Ns pick(java.util.function.Predicate<Ns> filter) {
        List<Ns> c = own.stream().filter(filter).toList();
        return c.isEmpty() ? null : c.get(r.nextInt(c.size()));
    }

    private Namespace real(Ns m) {
        Namespace ns = Soak.find(platform(m), m.name);
        if (ns == null) {
            throw new Failure(
                    Soak.OUTCOME,
                    m.name + " (" + m + ", " + m.origin + ") vanished from its platform");
        }
        if (ns.enabled() != m.enabled) {
            throw new Failure(
                    Soak.OUTCOME,
                    m.name
                            + " reads "
                            + (ns.enabled() ? "enabled" : "disabled")
                            + ", but it was left "
                            + (m.enabled ? "enabled" : "disabled")
                            + " ("
                            + m.origin
                            + ")");
        }
        return ns;
    }

    static Optional<DevicePagemap> pagemapAt(Platform p, PhysicalRange range) {
        return p.engine().memremap().livePagemaps().stream()
                .filter(x -> x.range().equals(range))
                .findFirst();
    }

    private long liveBytes() {
        return own.stream().mapToLong(m -> m.spec.size()).sum();
    }

    private NamespaceSpec randomSpec(String name, boolean file) {
        long budget = Math.max(2 * soak.plan.maxSize(), 64 * MIB) - liveBytes();
        long size = 2 * MIB;
        for (int tries = 0; tries < 8; tries++) {
            int total = 0;
            for (int i = 0; i < SIZES_MIB.length; i++) {
                total += SIZES_MIB[i] * MIB <= soak.plan.maxSize() ? SIZE_WEIGHTS[i] : 0;
            }
            int x = r.nextInt(total);
            for (int i = 0; i < SIZES_MIB.length; i++) {
                if (SIZES_MIB[i] * MIB > soak.plan.maxSize()) {
                    continue;
                }
                x -= SIZE_WEIGHTS[i];
                if (x < 0) {
                    size = SIZES_MIB[i] * MIB;
                    break;
                }
            }
            if (size <= budget) {
                break;
            }
            size = 2 * MIB;
        }
        int m = r.nextInt(20);
        NamespaceMode mode =
                m < 9 ? NamespaceMode.FSDAX : m < 17 ? NamespaceMode.DEVDAX : NamespaceMode.RAW;
        if (mode == NamespaceMode.DEVDAX && size < 10 * MIB) {
            size = 10 * MIB;
        }
        long align = r.nextBoolean() ? 4096 : 2 * MIB;
        if (mode == NamespaceMode.FSDAX && align == 2 * MIB && size < 6 * MIB) {
            size = 6 * MIB; // the data starts 2 MiB in: a 2 MiB fsdax namespace has no room
            // (bad input covers it)
        }
        NamespaceSpec spec =
                new NamespaceSpec(name, size, mode, align, Optional.empty(), 0, Map.of());
        if (mode != NamespaceMode.RAW) {
            spec = spec.withOption("map", size >= 34 * MIB && r.nextInt(3) == 0 ? "dev" : "mem");
        }
        if (file) {
            Path f = soak.dir.resolve(name + ".img");
            files.add(f);
            spec = spec.withFile(f);
        }
        return spec;
    }

    /**
     * After a namespace was bound (create, enable, re-probe): its pagemap, invariant 5, its data.
     */
    private void bound(Ns m, Namespace ns, String how) {
        m.enabled = true;
        m.pagemap =
                m.raw()
                        ? null
                        : pagemapAt(platform(m), ns.range())
                                .orElseThrow(
                                        () ->
                                                new Failure(
                                                        Soak.OUTCOME,
                                                        how
                                                                + " "
                                                                + m.name
                                                                + " returned without a live pagemap for "
                                                                + ns.range()));
        if (m.pagemap != null && !m.pagemap.async()) {
            MemmapState s = ns.memmapControl().orElseThrow().memmapState();
            if (s != MemmapState.IDLE) {
                throw new Failure(
                        Soak.INV5,
                        how
                                + " "
                                + m.name
                                + " on "
                                + live(m).target.label()
                                + " fell back to a"
                                + " synchronous add, yet memmap_state reads "
                                + s.text()
                                + " after it returned");
            }
            audit(m, how + " (synchronous add)");
        }
        soak.counts.bytesChecked.add(SoakModel.verify(m, ns, "after " + how));
    }

    /**
     * Audits {@code m}'s pagemap (every struct page, the exactly-once record, the page counts) and
     * checks that no failure is reported once everything is initialized.
     */
    void audit(Ns m, String when) {
        DevicePagemap p = m.pagemap;
        MemmapAudit a = p.audit();
        soak.counts.pagesVerified.add(a.pagesChecked());
        if (a.pagesBad() > 0) {
            throw new Failure(
                    a.subRangesNotExactlyOnce() > 0 ? Soak.INV2 : Soak.INV3,
                    String.format(
                            "%s, %s (%s):"
                                    + " memmap_state idle but the audit found %,d of %,d struct pages wrong, the first at pfn %#x",
                            when, m.name, m, a.pagesBad(), a.pagesChecked(), a.firstBadPfn()));
        }
        if (a.subRangesNotExactlyOnce() > 0) {
            throw new Failure(
                    Soak.INV2,
                    when
                            + ", "
                            + m.name
                            + ": "
                            + a.subRangesNotExactlyOnce()
                            + " of "
                            + a.subRanges()
                            + " sub-ranges were not initialized exactly once");
        }
        long counted = p.pagesInitializedByWorkers() + p.pagesInitializedInForeground();
        if (counted != a.pagesChecked()) {
            throw new Failure(
                    Soak.INV2,
                    String.format(
                            "%s, %s: %,d pages by workers + %,d in the foreground != %,d"
                                    + " pages",
                            when,
                            m.name,
                            p.pagesInitializedByWorkers(),
                            p.pagesInitializedInForeground(),
                            a.pagesChecked()));
        }
        Throwable f = p.failure();
        if (f != null) {
            throw new Failure(
                    Soak.HONEST,
                    when
                            + ", "
                            + m.name
                            + " ("
                            + m
                            + "): every struct page is initialized and"
                            + " audits clean, yet its pagemap still reports the failure "
                            + f
                            + " (issue 9 #6)");
        }
        m.audited = p.id();
    }

    /** Invariant 1: every page of a pfn run handed out is initialized. */
    private void handedOut(Ns m, long pfn, long pages, String what) {
        for (long p = pfn; p < pfn + pages; p++) {
            if (!m.pagemap.isPageInitialized(p)) {
                throw new Failure(
                        Soak.INV1,
                        String.format(
                                "%s on %s (%s) handed out pfn %#x (page %d of %d) before"
                                        + " its struct page was initialized",
                                what, m.name, m, p, p - pfn, pages));
            }
        }
        soak.counts.pagesVerified.add(pages);
    }

    /**
     * Invariants 7 and 9 after a teardown of {@code m}'s binding: the pagemap closed with no
     * reference.
     */
    private void tornDown(Ns m, DevicePagemap before, PhysicalRange range, String what) {
        if (before != null && (!before.closed() || before.referenceCount() != 0)) {
            throw new Failure(
                    Soak.INV9,
                    String.format(
                            "%s: afterwards pgmap %d at %s is %s, with %d references",
                            what,
                            before.id(),
                            range,
                            before.closed() ? "closed" : "still not torn down",
                            before.referenceCount()));
        }
        Optional<DevicePagemap> left = pagemapAt(platform(m), range);
        if (left.isPresent()) {
            throw new Failure(
                    Soak.INV7,
                    String.format(
                            "%s left pgmap %d registered at %s with %d"
                                    + " references (issue 9 #2: a later create or enable gets EEXIST)",
                            what, left.get().id(), range, left.get().referenceCount()));
        }
    }

    // ---- operations ----------------------------------------------------------------------

    private String run(Kind kind) {
        lastTarget = "";
        clearInterrupts();
        try {
            String what =
                    switch (kind) {
                        case CREATE -> create();
                        case DESTROY -> destroy(false);
                        case ENABLE -> enable();
                        case DISABLE -> disable(false);
                        case FAULT -> fault();
                        case ACCESS -> access(false);
                        case ACCESS_PFN -> access(true);
                        case SHARED -> accessShared();
                        case WRITE -> write();
                        case READ -> read();
                        case SYNC -> sync();
                        case STATE -> state();
                        case HOLD, RELEASE -> gate(kind == Kind.HOLD);
                        case INJECT -> inject();
                        case INTERRUPT -> interruptSelf();
                        case INTERRUPT_REPROBE -> interruptReprobe();
                        case INTERRUPT_OTHER -> interruptOther();
                        case BAD_INPUT -> SoakBadInput.run(this);
                        case CLAIM -> SoakBadInput.claimBoundFile(this);
                        case REPROBE -> reprobe();
                        case RESTART -> "restart";
                    };
            for (Live live : soak.lives) {
                if (live.target.label().equals(lastTarget)) {
                    SoakChecks.registrations(soak, live); // on the platform this operation touched
                }
            }
            return what;
        } finally {
            clearInterrupts();
        }
    }

    private String create() {
        if (own.size() >= MAX_OWN) {
            return destroy(false);
        }
        if (!detached.isEmpty() && r.nextInt(4) == 0) {
            return reprobeDetached();
        }
        count(Kind.CREATE);
        Live live = soak.lives.get(r.nextInt(soak.lives.size()));
        String name = "t" + index + "-n" + (++names);
        NamespaceSpec spec = randomSpec(name, r.nextBoolean());
        return createOn(live, spec, SoakModel.newRecords(), "create");
    }

    /** Creates {@code spec} on {@code live}; the namespace joins the model with {@code records}. */
    String createOn(Live live, NamespaceSpec spec, Map<Integer, Rec> records, String how) {
        lastTarget = live.target.label();
        current = how + " " + Soak.specText(spec) + " on " + live.target.label();
        boolean fileExisted = spec.file().map(Files::exists).orElse(false);
        Namespace ns;
        try {
            ns = engine(() -> live.platform.create(spec));
        } catch (ZoneDeviceException e) {
            if (e.code() == ErrorCode.OUT_OF_RANGE
                    && String.valueOf(e.getMessage()).contains("physical address")) {
                live.needsRestart = true;
                soak.counts.expected(e.code().errno());
            } else {
                judge(e, current, true);
            }
            clearInterrupts();
            if (Soak.find(live.platform, spec.name()) != null) {
                throw new Failure(
                        Soak.OUTCOME,
                        current + " failed (" + e.getMessage() + ") but left the namespace");
            }
            if (spec.file().isPresent() && !fileExisted && Files.exists(spec.file().get())) {
                throw new Failure(
                        Soak.OUTCOME,
                        current
                                + " failed ("
                                + e.getMessage()
                                + ") but left the new file "
                                + spec.file().get());
            }
            if (fileExisted) {
                // the file stays detached, its data must be intact: checked when it is re-probed
                detached.add(new Detached(spec, records));
            }
            return "-> " + e.code().errno();
        }
        clearInterrupts();
        soak.counts.namespacesCreated.increment();
        Ns m = new Ns(spec.name(), live.index, spec, records, "t" + index + "#" + step + " " + how);
        own.add(m);
        bound(m, ns, how);
        return Soak.specText(spec) + " on " + live.target.label();
    }

    private String destroy(boolean interrupted) {
        Ns m = pick(x -> true);
        if (m == null) {
            return create();
        }
        count(Kind.DESTROY);
        return destroy(m, interrupted);
    }

    private String destroy(Ns m, boolean interrupted) {
        lastTarget = live(m).target.label();
        Platform p = platform(m);
        Namespace ns = real(m);
        PhysicalRange range = ns.range();
        DevicePagemap before = m.pagemap;
        String outcome =
                tearDown(
                        m,
                        interrupted,
                        "destroy",
                        () -> p.destroy(m.name),
                        () -> Soak.find(p, m.name) != null);
        own.remove(m);
        tornDown(m, before, range, current + outcome);
        if (m.fileBacked()) {
            detached.add(new Detached(m.spec, m.records));
            trimDetached();
        }
        return m.name + (outcome.isEmpty() ? " ok" : " interrupted, retried");
    }

    /**
     * Runs a teardown {@code operation} ({@code verb} of {@code m}), with the thread interrupted
     * first when asked. One that fails is judged, then retried without the interrupt when {@code
     * retry} says the namespace is still there; that retry must resume and finish the teardown
     * (invariant 9). Returns "" or, after a retry, " (it failed with ERRNO; ...)" for the report.
     */
    private String tearDown(
            Ns m, boolean interrupted, String verb, Runnable operation, BooleanSupplier retry) {
        current = (interrupted ? "interrupted " : "") + verb + " " + m;
        if (interrupted) {
            interruptedSelf = true;
            Thread.currentThread().interrupt();
        }
        String outcome = "";
        try {
            engineRun(operation);
        } catch (ZoneDeviceException e) {
            judge(e, current);
            outcome =
                    " (it failed with "
                            + e.code().errno()
                            + "; a retry without the interrupt returned normally)";
            clearInterrupts();
            if (retry.getAsBoolean()) {
                try {
                    operation.run(); // resume the teardown, uninterrupted
                } catch (ZoneDeviceException again) {
                    throw new Failure(
                            Soak.INV9,
                            current
                                    + " failed with "
                                    + e.getMessage()
                                    + "; retried without an"
                                    + " interrupt it failed again: "
                                    + again.getMessage());
                }
            }
        }
        clearInterrupts();
        return outcome;
    }

    private void trimDetached() {
        while (detached.size() > MAX_DETACHED) {
            Detached d = detached.removeFirst();
            d.spec()
                    .file()
                    .ifPresent(
                            f -> {
                                try {
                                    Files.deleteIfExists(f);
                                } catch (IOException e) {
                                    // best effort
                                }
                            });
        }
    }

    private String disable(boolean interrupted) {
        Ns m = pick(x -> x.enabled);
        if (m == null) {
            return create();
        }
        count(Kind.DISABLE);
        return disable(m, interrupted);
    }

    private String disable(Ns m, boolean interrupted) {
        lastTarget = live(m).target.label();
        Platform p = platform(m);
        Namespace ns = real(m);
        PhysicalRange range = ns.range();
        DevicePagemap before = m.pagemap;
        String outcome = tearDown(m, interrupted, "disable", () -> p.disable(m.name), () -> true);
        m.enabled = false;
        m.pagemap = null;
        real(m);
        tornDown(m, before, range, current + outcome);
        return m.name + (outcome.isEmpty() ? " ok" : " interrupted, retried");
    }

    private String enable() {
        Ns m = pick(x -> !x.enabled);
        if (m == null) {
            return disable(false);
        }
        count(Kind.ENABLE);
        lastTarget = live(m).target.label();
        Platform p = platform(m);
        current = "enable " + m;
        try {
            engineRun(() -> p.enable(m.name));
        } catch (ZoneDeviceException e) {
            judge(e, current, true);
            clearInterrupts();
            real(m);
            return m.name + " -> " + e.code().errno();
        }
        clearInterrupts();
        m.enabled = true;
        Namespace ns = real(m);
        bound(m, ns, "enable");
        return m.name;
    }

    private String fault() {
        Ns m = pick(x -> x.enabled && x.devdax());
        if (m == null) {
            return access(true);
        }
        count(Kind.FAULT);
        lastTarget = live(m).target.label();
        DaxDevice dev = Targets.device(real(m), null);
        PageFaults d =
                dev.pageFaults()
                        .orElseThrow(
                                () ->
                                        new Failure(
                                                Soak.OUTCOME,
                                                m.name
                                                        + " ("
                                                        + m
                                                        + ") is devdax,"
                                                        + " yet its device "
                                                        + dev.name()
                                                        + " takes no page faults"));
        long units = Targets.faultUnits(dev);
        long offset = r.nextLong(units) * d.alignment();
        FaultSize size = FaultSize.ofBytes(d.alignment());
        current = "fault " + size.text() + " at " + Soak.hex(offset) + " of " + m;
        DaxMapping map;
        try {
            map = engine(() -> d.fault(offset, size));
        } catch (ZoneDeviceException e) {
            judge(e, current);
            return m.name + " -> " + e.code().errno();
        }
        handedOut(m, map.pfn().value(), size.pages(), current);
        return m.name + " " + Soak.hex(offset);
    }

    private String access(boolean pfn) {
        Ns m = pick(x -> x.enabled && (!pfn || !x.raw()));
        if (m == null) {
            return create();
        }
        count(pfn ? Kind.ACCESS_PFN : Kind.ACCESS);
        lastTarget = live(m).target.label();
        DaxDevice dev = Targets.device(real(m), null);
        long pgoff = r.nextLong(dev.nrPages());
        long n = 1 + r.nextInt(r.nextBoolean() ? 16 : 1024);
        current =
                "direct access "
                        + (pfn ? "with" : "without")
                        + " pfn of "
                        + n
                        + " pages at "
                        + pgoff
                        + " of "
                        + m;
        long epoch = soak.sharedEpoch.get();
        boolean quiet = soak.sharedInFlight.get() == 0;
        long fgBefore = m.pagemap == null ? 0 : m.pagemap.pagesInitializedInForeground();
        DirectAccess da;
        try {
            da = engine(() -> dev.directAccess(pgoff, n, pfn));
        } catch (ZoneDeviceException e) {
            judge(e, current);
            return m.name + " -> " + e.code().errno();
        }
        if (da.availablePages() < 1
                || da.availablePages() > n
                || pgoff + da.availablePages() > dev.nrPages()) {
            throw new Failure(
                    Soak.OUTCOME, current + " answered " + da.availablePages() + " pages");
        }
        if (pfn) {
            long first =
                    da.pfn()
                            .orElseThrow(
                                    () -> new Failure(Soak.OUTCOME, current + " returned no pfn"))
                            .value();
            handedOut(m, first, da.availablePages(), current);
        } else {
            if (da.pfn().isPresent()) {
                throw new Failure(Soak.INV4, current + " returned a pfn nobody asked for");
            }
            // only this thread initializes this pagemap in the foreground, unless another thread's
            // shared access ran
            quiet = quiet && soak.sharedInFlight.get() == 0 && soak.sharedEpoch.get() == epoch;
            if (quiet
                    && m.pagemap != null
                    && m.pagemap.pagesInitializedInForeground() != fgBefore) {
                throw new Failure(
                        Soak.INV4,
                        current
                                + " initialized "
                                + (m.pagemap.pagesInitializedInForeground() - fgBefore)
                                + " struct pages in the caller's thread");
            }
        }
        return m.name + " " + da.availablePages() + " pages";
    }

    /**
     * Direct access with a pfn to another thread's namespace, which its owner may disable or
     * destroy meanwhile: ENODEV is then legitimate, and the owner's teardown must wait for this
     * reference (invariant 7). The pfns handed out must be initialized (invariant 1).
     */
    private String accessShared() {
        Live live = soak.lives.get(r.nextInt(soak.lives.size()));
        String mine = "t" + index + "-";
        List<Namespace> others =
                live.platform.namespaces().stream()
                        .filter(
                                n ->
                                        !n.name().startsWith(mine)
                                                && n.enabled()
                                                && n.mode() != NamespaceMode.RAW)
                        .toList();
        if (others.isEmpty()) {
            return access(true);
        }
        count(Kind.SHARED);
        lastTarget = live.target.label();
        Namespace ns = others.get(r.nextInt(others.size()));
        soak.sharedInFlight.incrementAndGet();
        soak.sharedEpoch.incrementAndGet();
        try {
            current = "shared direct access with pfn to " + ns.name() + " (another thread's)";
            DevicePagemap pm = pagemapAt(live.platform, ns.range()).orElse(null);
            DaxDevice dev;
            try {
                dev = Targets.device(ns, null);
            } catch (ZoneDeviceException e) {
                judge(e, current, ErrorCode.NO_DEVICE);
                return ns.name() + " -> " + e.code().errno();
            }
            if (pm == null) {
                return ns.name() + " torn down meanwhile";
            }
            long pages = dev.nrPages();
            long pgoff = r.nextLong(pages);
            long n = r.nextInt(4) == 0 ? pages - pgoff : 1 + r.nextInt(64);
            current =
                    "shared direct access with pfn of "
                            + n
                            + " pages at "
                            + pgoff
                            + " of "
                            + ns.name()
                            + " (another thread's)";
            DirectAccess da;
            try {
                da = engine(() -> dev.directAccess(pgoff, n, true));
            } catch (ZoneDeviceException e) {
                judge(e, current, ErrorCode.NO_DEVICE);
                return ns.name() + " -> " + e.code().errno();
            }
            long first =
                    da.pfn()
                            .orElseThrow(
                                    () -> new Failure(Soak.OUTCOME, current + " returned no pfn"))
                            .value();
            try {
                for (long p = first; p < first + da.availablePages(); p++) {
                    if (!pm.isPageInitialized(p)) {
                        throw new Failure(
                                Soak.INV1,
                                String.format(
                                        "%s handed out pfn %#x before its struct page was"
                                                + " initialized",
                                        current, p));
                    }
                }
            } catch (ZoneDeviceException e) {
                if (e.code() != ErrorCode.NO_DEVICE) {
                    throw e;
                }
                return ns.name() + " torn down after the access";
            }
            soak.counts.pagesVerified.add(da.availablePages());
            return ns.name() + " " + da.availablePages() + " pages";
        } finally {
            soak.sharedEpoch.incrementAndGet();
            soak.sharedInFlight.decrementAndGet();
        }
    }

    private String write() {
        Ns m = pick(x -> x.enabled);
        if (m == null) {
            return create();
        }
        count(Kind.WRITE);
        lastTarget = live(m).target.label();
        DaxDevice dev = Targets.device(real(m), null);
        int slots = (int) Math.min(SoakModel.MAX_SLOTS, SoakModel.dataBytes(dev) / SoakModel.SLOT);
        if (slots == 0) {
            return m.name + " too small";
        }
        int slot = r.nextInt(slots);
        int length = 1 + r.nextInt(r.nextBoolean() ? 256 : 16 * 1024);
        long pos = (long) slot * SoakModel.SLOT + r.nextInt(SoakModel.SLOT - length + 1);
        byte[] data = new byte[length];
        r.nextBytes(data);
        current = "write " + length + " bytes at " + Soak.hex(pos) + " of " + m;
        try {
            engineRun(() -> SoakModel.write(dev, pos, data));
        } catch (ZoneDeviceException e) {
            judge(e, current);
            return m.name + " -> " + e.code().errno();
        }
        m.records.put(slot, new Rec(pos, length, SoakModel.sha256(data)));
        soak.counts.bytesWritten.add(length);
        return m.name + " " + length + "@" + Soak.hex(pos);
    }

    private String read() {
        Ns m = pick(x -> x.enabled && !x.records.isEmpty());
        if (m == null) {
            return write();
        }
        count(Kind.READ);
        lastTarget = live(m).target.label();
        current = "read back " + m.records.size() + " records of " + m;
        soak.counts.bytesChecked.add(SoakModel.verify(m, real(m), "read"));
        return m.name + " " + m.records.size() + " records";
    }

    private String sync() {
        Ns m = pick(x -> x.enabled && !x.raw());
        if (m == null) {
            return create();
        }
        count(Kind.SYNC);
        lastTarget = live(m).target.label();
        MemmapControl control = real(m).memmapControl().orElseThrow();
        boolean viaAttribute = r.nextBoolean();
        current = (viaAttribute ? "memmap_state write sync" : "pagemap sync") + " of " + m;
        try {
            engineRun(
                    () -> {
                        if (viaAttribute) {
                            control.write("sync");
                        } else {
                            m.pagemap.sync();
                        }
                    });
        } catch (ZoneDeviceException e) {
            judge(e, current);
            return m.name + " -> " + e.code().errno();
        }
        MemmapState s = control.memmapState();
        if (s != MemmapState.IDLE) {
            throw new Failure(Soak.INV3, current + " returned, yet memmap_state reads " + s.text());
        }
        audit(m, "after " + current);
        return m.name;
    }

    private String state() {
        Ns m = pick(x -> x.enabled && !x.raw());
        if (m == null) {
            return create();
        }
        count(Kind.STATE);
        lastTarget = live(m).target.label();
        MemmapState s = real(m).memmapControl().orElseThrow().memmapState();
        current = "memmap_state of " + m + " reads " + s.text();
        if (s == MemmapState.IDLE && m.audited != m.pagemap.id()) {
            audit(m, "memmap_state read idle");
            return m.name + " idle, audited";
        }
        return m.name + " " + s.text();
    }

    private String gate(boolean hold) {
        count(hold ? Kind.HOLD : Kind.RELEASE);
        Live live = soak.lives.get(r.nextInt(soak.lives.size()));
        lastTarget = live.target.label();
        if (hold) {
            live.platform.engine().testing().backgroundGate().hold();
        } else {
            live.platform.engine().testing().backgroundGate().release();
        }
        return live.target.label();
    }

    private String inject() {
        count(Kind.INJECT);
        Live live = soak.lives.get(r.nextInt(soak.lives.size()));
        lastTarget = live.target.label();
        List<VmemmapLevel> levels = new ArrayList<>(Arrays.asList(VmemmapLevel.values()));
        if (live.target.arch().equals("x86_64")) {
            levels.remove(VmemmapLevel.PTE); // 2 MiB blocks: no pte tables
        }
        VmemmapLevel level = levels.get(r.nextInt(levels.size()));
        int skip =
                switch (level) {
                    case PGD, P4D, PUD -> 0;
                    case PMD -> r.nextInt(4);
                    case PTE, ALTMAP -> r.nextInt(64);
                };
        live.platform.engine().testing().faults().failAt(level, skip);
        soak.counts.faultsArmed.increment();
        return level.name().toLowerCase(Locale.ROOT)
                + " skip "
                + skip
                + " on "
                + live.target.label();
    }

    /**
     * Interrupts this very thread, then runs a blocking operation: a teardown, a create, a sync.
     */
    @SuppressWarnings(
            "fallthrough") // each case falls back to the next kind when it has nothing to act on
    private String interruptSelf() {
        count(Kind.INTERRUPT);
        soak.counts.interrupts.increment();
        int what = r.nextInt(4);
        Ns m;
        switch (what) {
            case 0:
                m = pick(x -> x.enabled);
                if (m != null) {
                    log("disable " + m.name);
                    return "disable: " + disable(m, true);
                }
            // fall through
            case 1:
                m = pick(x -> true);
                if (m != null) {
                    log("destroy " + m.name);
                    return "destroy: " + destroy(m, true);
                }
            // fall through
            case 2:
                if (own.size() < MAX_OWN) {
                    Live live = soak.lives.get(r.nextInt(soak.lives.size()));
                    String name = "t" + index + "-n" + (++names);
                    NamespaceSpec spec = randomSpec(name, r.nextBoolean());
                    log("create " + name + " on " + live.target.label());
                    interruptedSelf = true;
                    Thread.currentThread().interrupt();
                    return "create: "
                            + createOn(live, spec, SoakModel.newRecords(), "interrupted create");
                }
            // fall through
            default:
                m = pick(x -> x.enabled && !x.raw());
                if (m == null) {
                    return "nothing to interrupt";
                }
                Ns target = m;
                lastTarget = live(m).target.label();
                current = "interrupted sync of " + m;
                log("sync " + m.name);
                interruptedSelf = true;
                Thread.currentThread().interrupt();
                try {
                    engineRun(() -> target.pagemap.sync());
                } catch (ZoneDeviceException e) {
                    judge(e, current);
                    return "sync " + m.name + " -> " + e.code().errno();
                }
                clearInterrupts();
                MemmapState s = real(m).memmapControl().orElseThrow().memmapState();
                if (s != MemmapState.IDLE) {
                    throw new Failure(
                            Soak.INV3, current + " returned, yet memmap_state reads " + s.text());
                }
                return "sync " + m.name;
        }
    }

    /**
     * Interrupts this thread, then re-probes a detached file: the create path that reads an
     * existing file.
     */
    private String interruptReprobe() {
        if (detached.isEmpty() || own.size() >= MAX_OWN) {
            return interruptSelf();
        }
        count(Kind.INTERRUPT_REPROBE);
        soak.counts.interrupts.increment();
        log("re-probe " + detached.getFirst().spec().name());
        return "re-probe: " + reprobeDetached(true);
    }

    private void log(String what) {
        soak.interruptLog.addLast("t" + index + "#" + step + " interrupted itself: " + what);
        while (soak.interruptLog.size() > 8) {
            soak.interruptLog.pollFirst();
        }
    }

    private String interruptOther() {
        SoakWorker other =
                soak.workers.get(
                        (index + 1 + r.nextInt(soak.workers.size() - 1)) % soak.workers.size());
        count(Kind.INTERRUPT_OTHER);
        soak.counts.interrupts.increment();
        boolean delivered = other.interruptFrom("t" + index + "#" + step);
        return "t" + other.index + (delivered ? " interrupted" : " was not in an engine call");
    }

    /** Destroys an enabled file-backed namespace and creates it again from its info block. */
    private String reprobe() {
        Ns m = pick(x -> x.fileBacked());
        if (m == null) {
            return detached.isEmpty() ? create() : reprobeDetached();
        }
        count(Kind.REPROBE);
        String d = destroy(m, false);
        Detached det = detached.removeLast();
        Live live = soak.lives.get(r.nextInt(soak.lives.size()));
        soak.counts.reprobes.increment();
        return d + "; " + createOn(live, InfoBlocks.respec(det.spec()), det.records(), "re-probe");
    }

    private String reprobeDetached() {
        count(Kind.REPROBE);
        return reprobeDetached(false);
    }

    /**
     * Creates the oldest detached file's namespace again from its info block (from an interrupted
     * thread).
     */
    private String reprobeDetached(boolean interrupted) {
        Detached det = detached.removeFirst();
        Live live = soak.lives.get(r.nextInt(soak.lives.size()));
        soak.counts.reprobes.increment();
        NamespaceSpec spec;
        try {
            spec = InfoBlocks.respec(det.spec());
        } catch (ZoneDeviceException e) {
            throw new Failure(
                    Soak.DATA,
                    "the info block of "
                            + det.spec().file().get()
                            + " no longer reads: "
                            + e.getMessage());
        }
        if (interrupted) {
            interruptedSelf = true;
            Thread.currentThread().interrupt(); // after the soak's own read of the info block
        }
        return createOn(
                live, spec, det.records(), interrupted ? "interrupted re-probe" : "re-probe");
    }

    // ---- checkpoints and restarts -----------------------------------------------------------

    /** At a checkpoint: every namespace as the model says, synced, audited, its data intact. */
    void checkAll() {
        for (Ns m : List.copyOf(own)) {
            current = "checkpoint check of " + m;
            Namespace ns = real(m);
            if (m.enabled && m.pagemap != null) {
                Optional<DevicePagemap> p = pagemapAt(platform(m), ns.range());
                if (p.isEmpty() || p.get() != m.pagemap) {
                    throw new Failure(
                            Soak.INV7,
                            m.name
                                    + " ("
                                    + m
                                    + ") is enabled but its pagemap "
                                    + m.pagemap.id()
                                    + " is no longer the one registered at "
                                    + ns.range());
                }
                try {
                    m.pagemap.sync();
                } catch (ZoneDeviceException e) {
                    if (!(e.code() == ErrorCode.OUT_OF_MEMORY
                            && String.valueOf(e.getMessage()).contains("injected"))) {
                        throw new Failure(
                                Soak.OUTCOME,
                                "checkpoint sync of " + m.name + " failed: " + e.getMessage());
                    }
                    m.pagemap.sync(); // the injector is reset: this one must succeed
                }
                MemmapState s = ns.memmapControl().orElseThrow().memmapState();
                if (s != MemmapState.IDLE) {
                    throw new Failure(
                            Soak.INV3,
                            "checkpoint sync of "
                                    + m.name
                                    + " returned, yet memmap_state reads "
                                    + s.text());
                }
                audit(m, "checkpoint");
            }
            if (m.enabled) {
                soak.counts.bytesChecked.add(SoakModel.verify(m, ns, "checkpoint"));
            }
        }
    }

    /**
     * After {@code live} was restarted: file-backed namespaces come back from their info blocks,
     * the rest are gone.
     */
    void afterRestart(Live live) {
        for (Ns m : List.copyOf(own)) {
            if (m.target != live.index) {
                continue;
            }
            own.remove(m);
            if (!m.fileBacked()) {
                continue;
            }
            current = "restart: re-probe " + m;
            NamespaceSpec spec = InfoBlocks.respec(m.spec);
            Namespace ns;
            try {
                ns = live.platform.create(spec);
            } catch (ZoneDeviceException e) {
                throw new Failure(
                        Soak.DATA,
                        "after the restart of "
                                + live.target.label()
                                + ", "
                                + m.name
                                + " ("
                                + m
                                + ") could not be re-probed from its info block: "
                                + e.getMessage());
            }
            Ns back = new Ns(m.name, live.index, spec, m.records, m.origin + ", restarted");
            own.add(back);
            soak.counts.reprobes.increment();
            bound(back, ns, "re-probe after a restart");
        }
    }

    /** Deletes the files this thread created (the run passed). */
    void deleteFiles() {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    /**
     * Reads the info block page of a file (4 KiB at offset 4096), without channels (an interrupt
     * cannot close them).
     */
    static byte[] readBlock(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] page = new byte[(int) PfnInfoBlock.SIZE];
            f.seek(PfnInfoBlock.OFFSET);
            f.readFully(page);
            return page;
        } catch (IOException e) {
            throw new Failure(
                    Soak.DATA, "cannot read the info block of " + file + ": " + e.getMessage());
        }
    }

    static void writeBlock(Path file, byte[] page) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(PfnInfoBlock.OFFSET);
            f.write(page);
        } catch (IOException e) {
            throw new Failure(
                    Soak.DATA, "cannot write the info block of " + file + ": " + e.getMessage());
        }
    }
}
