package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * Builds the memmap of one pagemap on background workers while letting any thread initialize the
 * part it needs now ({@code memmap_init_zone} split over threads, plus {@code memmap_sync}).
 *
 * <p>The pages are cut into equal sub-ranges (no larger than a section): the units of work. Who
 * runs which unit when is the pagemap's {@link MemmapStrategy}'s choice, through {@link
 * MemmapWorkers}; everything after the choice is here and shared by every strategy. A sub-range is
 * claimed exactly once, by a worker or a foreground caller, through {@link SubRangeClaims}; the
 * claimant populates the memmap of the sections it needs, writes the struct pages, and publishes
 * the sub-range as done (or gives it back when its memmap could not be populated). A foreground
 * caller initializes the unclaimed sub-ranges of its request itself and waits only for those
 * claimed by others; with a strategy without foreground sync it first waits until every worker has
 * ended (the pass). Which sub-range holds a pfn is plain arithmetic.
 *
 * <p>For compound pages ({@link CompoundMemmap}) the geometry makes every sub-range a whole number
 * of them, so whoever claims a sub-range writes each of its heads with all its tails (or, with
 * vmemmap tail reuse, the 128 struct pages that have frames of their own); ordinary pagemaps keep
 * {@link StructPage#initSubRange}, or {@link StructPageTemplate#initSubRange} with {@link
 * PageInit#TEMPLATE}. Either way the writer marks the sub-range's pageblocks.
 *
 * <p>Each worker is placed on the namespace's NUMA node for its run ({@link
 * NumaTopology#placeCurrentThread}), and the log records the node of every sub-range.
 *
 * <p>Thread-safe. No lock, allocation or boxing per page; waiting threads block on one monitor that
 * a claimant notifies only when somebody waits.
 */
final class MemmapInitializer {
    static final short FOREGROUND = -1;

    /** {@link #workerClaim} outcomes: claimed or done by somebody else, or stopping. */
    static final int TAKEN = 0;

    /** {@link #workerClaim} outcome: initialized by the caller. */
    static final int INITIALIZED = 1;

    /** {@link #workerClaim} outcome: given back for lack of memory; worth one retry. */
    static final int GAVE_BACK = 2;

    private final MemorySegment memmap;
    private final BackgroundGate gate;
    private final FaultInjector faults;
    private final FailureLog failures;
    private final AddedRange added;
    private final long pgmapId;
    private final long baseFlags;
    private final PageInit pageInit;
    private final StructPageTemplate altmapTemplate;
    private final StructPageTemplate deviceTemplate;
    private final NumaTopology numa;
    private final int sectionPfnShift;
    private final long initStartPfn;
    private final long deviceStartPfn;
    private final long endPfn;
    private final long subRangePages;
    private final int nrSubRanges;
    private final MemmapStrategy strategy;
    private final boolean foregroundSync;
    private final MemmapWorkers workers;
    private final MemmapGeometry geometry;
    private final CompoundMemmap compound;
    private final Pageblocks pageblocks;
    private final LongAdder structPagesWritten = new LongAdder();
    private final SubRangeClaims claims;
    private final IntConsumer initializeInForeground = i -> initialize(i, FOREGROUND, false);
    private final int[] initCount;
    private final short[] initializedBy;
    private final short[] ranOnNode;
    private final long[] startNanos;
    private final long[] doneNanos;
    private final AtomicInteger remaining;
    private final LongAdder pagesByWorkers = new LongAdder();
    private final LongAdder pagesInForeground = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final long createdNanos = System.nanoTime();
    private volatile long idleNanos;
    private volatile boolean stopping;
    private volatile boolean workersBound;

    /**
     * Counted down once {@code memmap_state} reads idle, a failure is kept, or {@link #stop()} was
     * asked: what {@link #awaitIdle} waits on.
     */
    private final CountDownLatch settled = new CountDownLatch(1);

    MemmapInitializer(
            MemorySegment memmap,
            AddedRange added,
            MemmapGeometry geometry,
            MemmapStrategy strategy,
            long pgmapId,
            BackgroundGate gate,
            FaultInjector faults,
            FailureLog failures,
            CompoundMemmap compound,
            Pageblocks pageblocks,
            PageInit pageInit,
            NumaTopology numa) {
        this.geometry = geometry;
        this.compound = compound;
        this.pageblocks = pageblocks;
        this.numa = numa;
        this.faults = faults;
        this.failures = failures;
        this.memmap = memmap;
        this.gate = gate;
        this.added = added;
        this.pgmapId = pgmapId;
        this.baseFlags = StructPage.baseFlags(added.nid());
        this.pageInit = pageInit;
        this.altmapTemplate = StructPageTemplate.altmap(baseFlags);
        this.deviceTemplate = StructPageTemplate.device(baseFlags, pgmapId);
        this.sectionPfnShift = geometry.sectionPfnShift();
        this.initStartPfn = geometry.initStartPfn();
        this.deviceStartPfn = geometry.deviceStartPfn();
        this.endPfn = geometry.endPfn();
        this.subRangePages = geometry.subRangePages();
        this.nrSubRanges = geometry.nrSubRanges();
        this.strategy = strategy;
        this.foregroundSync = strategy.foregroundSync();
        this.workers = new MemmapWorkers(this, geometry, pgmapId, failures);
        this.claims = new SubRangeClaims(nrSubRanges);
        this.initCount = new int[nrSubRanges];
        this.initializedBy = new short[nrSubRanges];
        this.ranOnNode = new short[nrSubRanges];
        this.startNanos = new long[nrSubRanges];
        this.doneNanos = new long[nrSubRanges];
        this.remaining = new AtomicInteger(nrSubRanges);
    }

    /**
     * Lets the strategy start its workers on {@code domain}; call once. Never throws for the
     * strategy: what it throws is kept as the {@link #failure()}.
     */
    void start(AsyncDomain domain) {
        workers.start(strategy, domain);
    }

    /**
     * Places the calling worker on the namespace's NUMA node for its run ({@link
     * NumaTopology#placeCurrentThread}); close the placement when the worker ends.
     */
    NumaPlacement placeWorker() {
        return numa.placeCurrentThread(added.nid());
    }

    /** Records that a worker was bound to its node (the log says so). */
    void recordPlacement(NumaPlacement placed) {
        if (placed.bound()) {
            workersBound = true;
        }
    }

    /**
     * A worker's claim of sub-range {@code i}: waits while the gate holds worker {@code who}, then
     * claims and initializes it when it is free and the pagemap is not stopping. Returns {@link
     * #INITIALIZED}, {@link #TAKEN}, or {@link #GAVE_BACK} when its memmap could not be populated
     * for lack of memory (reported; the sub-range is free again).
     *
     * @throws ZoneDeviceException invalid for {@code i} out of range; what writing the pages threw
     */
    int workerClaim(int i, short who) {
        if (i < 0 || i >= nrSubRanges) {
            throw MemmapWorkerHandle.badUnit(i, nrSubRanges);
        }
        gate.pass(who, () -> stopping);
        if (stopping || !claims.tryClaim(i)) {
            return TAKEN;
        }
        return initialize(i, who, true) ? INITIALIZED : GAVE_BACK;
    }

    /** A worker's second and last try of a sub-range it gave back: a failure now is thrown. */
    void workerRetry(int i, short who) {
        gate.pass(who, () -> stopping);
        if (!stopping && claims.tryClaim(i)) {
            initialize(i, who, false);
        }
    }

    boolean stopping() {
        return stopping;
    }

    /**
     * Populates, writes and publishes sub-range {@code i}, which the caller claimed. When its
     * memmap cannot be populated the claim is given back (waking waiters); then, with {@code
     * mayRetry} and out-of-memory, the failure is reported and false returned, so the caller can
     * retry later; otherwise it is thrown. A failure writing the pages marks the sub-range failed
     * and is thrown.
     */
    private boolean initialize(int i, short who, boolean mayRetry) {
        startNanos[i] = System.nanoTime();
        long from = geometry.firstPfn(i);
        long to = geometry.endPfn(i);
        try {
            added.ensurePopulated(from, to);
        } catch (RuntimeException e) {
            claims.giveBack(i);
            TestHooks.reach(TestHooks.Point.GAVE_BACK);
            // Decided from the failure alone, never from the state: once given back, the
            // sub-range may already be claimed by somebody else (defect 5 of issue 9).
            if (mayRetry
                    && e instanceof ZoneDeviceException z
                    && z.code() == ErrorCode.OUT_OF_MEMORY) {
                failures.record(
                        "memmap worker "
                                + who
                                + " of pgmap "
                                + pgmapId
                                + " (will retry "
                                + describe(i)
                                + ")",
                        e);
                return false;
            }
            throw e;
        }
        Object event = MemmapEvents.beginSubRange();
        writePages(i, who, from, to);
        MemmapEvents.commitSubRange(event, pgmapId, from, to - from, who);
        publish(i, who, to - from);
        return true;
    }

    /**
     * The hot part: writes the struct pages of {@code [from, to)}; a failure marks the sub-range
     * failed.
     */
    private void writePages(int i, short who, long from, long to) {
        try {
            if (who != FOREGROUND && faults.workerFaultArmed()) {
                faults.checkWorker(describe(i));
            }
            if (compound != null) {
                structPagesWritten.add(
                        compound.init(
                                from, to, deviceStartPfn, baseFlags, sectionPfnShift, pgmapId));
            } else if (pageInit == PageInit.TEMPLATE) {
                StructPageTemplate.initSubRange(
                        memmap,
                        from,
                        to,
                        deviceStartPfn,
                        sectionPfnShift,
                        altmapTemplate,
                        deviceTemplate);
                structPagesWritten.add(to - from);
            } else {
                StructPage.initSubRange(
                        memmap, from, to, deviceStartPfn, baseFlags, sectionPfnShift, pgmapId);
                structPagesWritten.add(to - from);
            }
            pageblocks.markMovable(from, to);
        } catch (RuntimeException | Error e) {
            keepFailure(e);
            claims.fail(i);
            throw e;
        }
    }

    /** Records the exactly-once entry, then publishes sub-range {@code i} as done. */
    private void publish(int i, short who, long pages) {
        initCount[i]++;
        initializedBy[i] = who;
        // a worker works for the namespace's node (bound there or the decision recorded); a
        // foreground caller runs wherever it is
        ranOnNode[i] = (short) (who == FOREGROUND ? numa.currentNode() : added.nid());
        doneNanos[i] = System.nanoTime();
        (who == FOREGROUND ? pagesInForeground : pagesByWorkers).add(pages);
        // Count the pages as done before publishing the sub-range, so that a caller who sees
        // DONE (and returns from sync) also sees memmap_state idle once the last one is done.
        if (remaining.decrementAndGet() == 0) {
            idleNanos = System.nanoTime();
            settled.countDown();
        }
        claims.publish(i);
    }

    /**
     * Returns once every struct page of {@code [pfn, pfn + nrPages)} is initialized; the caller has
     * checked that these are pages of this initializer.
     */
    void sync(long pfn, long nrPages) {
        if (remaining.get() == 0) {
            return;
        }
        if (!foregroundSync) {
            awaitPass(pfn);
        }
        int first = geometry.index(pfn);
        int last = geometry.index(pfn + nrPages - 1);
        for (int i = first; i <= last; i++) {
            if (claims.tryClaim(i)) {
                initialize(i, FOREGROUND, false);
            }
        }
        for (int i = first; i <= last; i++) {
            awaitDone(i);
        }
    }

    /** Initializes or waits for every sub-range. */
    void syncAll() {
        sync(initStartPfn, endPfn - initStartPfn);
    }

    /** Returns once sub-range {@code i} is done, initializing it here whenever it is free. */
    private void awaitDone(int i) {
        if (claims.state(i) == SubRangeClaims.DONE) {
            return;
        }
        Object event = MemmapEvents.beginSyncWait(); // claimed by another thread: a wait
        try {
            if (!claims.awaitDone(i, initializeInForeground)) {
                throw new ZoneDeviceException(
                        ErrorCode.IO_ERROR,
                        "struct pages "
                                + describe(i)
                                + " could not be initialized: "
                                + failure.get(),
                        failure.get());
            }
        } finally {
            MemmapEvents.commitSyncWait(event, pgmapId, geometry.firstPfn(i));
        }
    }

    /**
     * Waits until every worker has ended, for a strategy without foreground sync; recorded as a
     * {@code dev.zonedev.MemmapPassWait} JFR event when it had to wait.
     *
     * @throws ZoneDeviceException {@link ErrorCode#BUSY} at once while the background gate holds
     *     the pass back: nothing but a release would end the wait
     */
    private void awaitPass(long pfn) {
        if (workers.ended()) {
            return;
        }
        if (gate.held()) {
            throw ZoneDeviceException.busy(
                    String.format(
                            "pfn %#x of pgmap %d waits for the memmap pass of strategy %s, which"
                                    + " the background gate holds back; release it first (a"
                                    + " strategy with foreground sync serves pfns while it is"
                                    + " held)",
                            pfn, pgmapId, strategy.name()));
        }
        Object event = MemmapEvents.beginPassWait();
        try {
            workers.await();
        } catch (InterruptedException e) {
            throw Interrupts.interrupted(
                    "interrupted waiting for the memmap pass of pgmap " + pgmapId, e);
        } finally {
            MemmapEvents.commitPassWait(event, pgmapId, pfn, strategy.name());
        }
    }

    private String describe(int i) {
        return String.format("[%#x, %#x)", geometry.firstPfn(i), geometry.endPfn(i));
    }

    /** Asks the workers to stop after their current sub-range. */
    void stop() {
        stopping = true;
        gate.wake();
        settled.countDown();
    }

    /** Keeps the first failure and wakes {@link #awaitIdle} waiters. */
    void keepFailure(Throwable e) {
        failure.compareAndSet(null, e);
        settled.countDown();
    }

    /**
     * Waits for every worker to end; returns false when the timeout passed first. Returns true at
     * once when they have ended, even in an interrupted thread.
     */
    boolean awaitWorkers(Duration timeout) throws InterruptedException {
        return workers.await(timeout);
    }

    /**
     * Waits until {@code memmap_state} reads idle; returns true when it does. Returns false when
     * the timeout passed first, and early when a failure keeps the memmap from completing (a
     * non-null {@link #failure()}) or {@link #stop()} was asked: nothing would make it idle then
     * but a foreground sync. Returns at once when idle, even in an interrupted thread.
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (remaining.get() != 0 && failure() == null && !stopping) {
            settled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return remaining.get() == 0;
    }

    MemmapState memmapState() {
        return remaining.get() == 0 ? MemmapState.IDLE : MemmapState.ACTIVE;
    }

    /**
     * The failure that keeps this memmap from being complete now, or null: the first failure of a
     * worker while some sub-range is still not done. Once every sub-range is done the failure has
     * healed and this returns null; its history stays in the {@link FailureLog}.
     */
    Throwable failure() {
        Throwable t = failure.get();
        return t != null && remaining.get() != 0 ? t : null;
    }

    long pagesByWorkers() {
        return pagesByWorkers.sum();
    }

    long pagesInForeground() {
        return pagesInForeground.sum();
    }

    /** Nanoseconds from creation until every sub-range was done, or -1 while active. */
    long initDurationNanos() {
        if (remaining.get() != 0) {
            return -1;
        }
        long idle;
        while ((idle = idleNanos) == 0) {
            Thread.onSpinWait(); // the last claimant stores it right after its decrement
        }
        return idle - createdNanos;
    }

    /**
     * {@link System#nanoTime()} at the moment the last sub-range was published (every struct page
     * initialized), or -1 while active.
     */
    long idleAtNanos() {
        long d = initDurationNanos();
        return d < 0 ? -1 : createdNanos + d;
    }

    /**
     * A snapshot of the exactly-once record: per sub-range, its first pfn, how often it was
     * initialized, by whom ({@link #FOREGROUND} or a worker index) and when it started and ended
     * (nanoseconds after creation, -1 when not done). Read it after {@link #syncAll()} for a
     * consistent view.
     */
    SubRangeLog log() {
        int n = nrSubRanges;
        long[] first = new long[n];
        int[] counts = new int[n];
        short[] by = new short[n];
        short[] node = new short[n];
        long[] from = new long[n];
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            boolean done =
                    claims.state(i)
                            == SubRangeClaims.DONE; // volatile read orders the plain reads below
            first[i] = geometry.firstPfn(i);
            counts[i] = initCount[i];
            by[i] = initializedBy[i];
            node[i] = ranOnNode[i];
            from[i] = done ? startNanos[i] - createdNanos : -1;
            at[i] = done ? doneNanos[i] - createdNanos : -1;
        }
        return new SubRangeLog(
                subRangePages,
                endPfn,
                first,
                counts,
                by,
                from,
                at,
                node,
                added.nid(),
                workersBound);
    }

    /**
     * Reads back every struct page (compound pages through {@link CompoundMemmap#audit}), every
     * pageblock's migratetype, and the exactly-once record. The caller makes sure every page is
     * initialized and the memmap stays mapped meanwhile.
     */
    MemmapAudit audit() {
        int nid = added.nid();
        long[] pages =
                compound != null
                        ? compound.audit(
                                initStartPfn, endPfn, nid, sectionPfnShift, deviceStartPfn, pgmapId)
                        : auditOrdinary(nid);
        long bad = pages[1];
        long firstBad = pages[2];
        SubRangeLog log = log();
        return new MemmapAudit(
                endPfn - initStartPfn,
                bad,
                firstBad,
                log.size(),
                log.notExactlyOnce(),
                pageblocks.count(initStartPfn, endPfn),
                pageblocks.countUnmarked(initStartPfn, endPfn));
    }

    /** Audits ordinary struct pages: {pages checked, pages bad, first bad pfn or -1}. */
    private long[] auditOrdinary(int nid) {
        long bad = 0;
        long firstBad = -1;
        for (long pfn = initStartPfn; pfn < endPfn; pfn++) {
            boolean device = pfn >= deviceStartPfn;
            if (!StructPage.matches(
                    memmap,
                    pfn,
                    nid,
                    sectionPfnShift,
                    device ? pgmapId : 0L,
                    device ? StructPage.LIST_POISON2 : 0L)) {
                bad++;
                firstBad = firstBad < 0 ? pfn : firstBad;
            }
        }
        return new long[] {endPfn - initStartPfn, bad, firstBad};
    }

    /** True when {@code pfn}'s memmap block is mapped and its struct page is right. */
    boolean isInitialized(long pfn) {
        if (pfn < initStartPfn || pfn >= endPfn || !added.isMemmapMapped(pfn)) {
            return false;
        }
        if (compound != null) {
            return compound.matches(pfn, added.nid(), sectionPfnShift, deviceStartPfn, pgmapId);
        }
        boolean device = pfn >= deviceStartPfn;
        return StructPage.matches(
                memmap,
                pfn,
                added.nid(),
                sectionPfnShift,
                device ? pgmapId : 0L,
                device ? StructPage.LIST_POISON2 : 0L);
    }

    /**
     * Bytes of bookkeeping this initializer keeps per sub-range (state, count, by, start, end,
     * node).
     */
    static int bookkeepingBytesPerSubRange() {
        return Integer.BYTES + Integer.BYTES + Short.BYTES + Long.BYTES + Long.BYTES + Short.BYTES;
    }

    MemorySegment memmap() {
        return memmap;
    }

    /** The compound layout, or null for ordinary struct pages. */
    CompoundMemmap compound() {
        return compound;
    }

    /** The pageblocks' migratetypes. */
    Pageblocks pageblocks() {
        return pageblocks;
    }

    /** Struct pages written so far (with vmemmap tail reuse, 128 per compound page). */
    long structPagesWritten() {
        return structPagesWritten.sum();
    }

    /** The template of this pagemap's device pages ({@link PageInit#TEMPLATE}). */
    StructPageTemplate deviceTemplate() {
        return deviceTemplate;
    }

    /** How this initializer writes struct pages. */
    PageInit pageInit() {
        return pageInit;
    }

    /** The sub-ranges' claim states. */
    SubRangeClaims claims() {
        return claims;
    }

    int nrSubRanges() {
        return nrSubRanges;
    }

    long subRangePages() {
        return subRangePages;
    }

    /** Workers the strategy started so far. */
    int workersStarted() {
        return workers.started();
    }

    /** The strategy building this memmap. */
    MemmapStrategy strategy() {
        return strategy;
    }
}
