package dev.zonedev.core;

import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapAvailability;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The engine's {@link DevPagemap}: a registered range, its memmap initializer and its reference
 * count. Every {@link #memmapSync} holds a reference while it runs; teardown ({@link #close}, a
 * {@link Teardown} state machine) kills the reference, stops the workers and waits for them and for
 * every reference before it unmaps the memmap, so nothing touches the memmap after it is gone.
 * Thread-safe.
 */
public final class DevicePagemap implements DevPagemap {
    private static final Duration TEARDOWN_TIMEOUT = Duration.ofMinutes(5);

    private final long id;
    private final AddedRange added;
    private final MemmapInitializer initializer;
    private final Hotplug hotplug;
    private final PgmapRef ref = new PgmapRef();
    private final Teardown teardown;
    private final boolean async;
    private final long firstDevicePfn;
    private final Runnable onClose;

    DevicePagemap(
            long id,
            AddedRange added,
            MemmapInitializer initializer,
            Hotplug hotplug,
            boolean async,
            long firstDevicePfn,
            Runnable onClose) {
        this.id = id;
        this.added = added;
        this.initializer = initializer;
        this.hotplug = hotplug;
        this.async = async;
        this.firstDevicePfn = firstDevicePfn;
        this.onClose = onClose;
        ref.tryGet(); // the single reference held by the pages of the whole range
        this.teardown =
                new Teardown(
                        "pgmap " + id + " at " + added.range(),
                        ref,
                        new Teardown.Steps() {
                            @Override
                            public void stopWorkers() {
                                initializer.stop();
                            }

                            @Override
                            public void awaitWorkers(Duration timeout) {
                                awaitWorkersStopped(timeout);
                            }

                            @Override
                            public void unmapAndRelease(Duration timeout) {
                                hotplug.remove(added, timeout);
                                onClose.run();
                            }
                        });
    }

    /** The pgmap id written into every device struct page. */
    public long id() {
        return id;
    }

    @Override
    public PhysicalRange range() {
        return added.range();
    }

    @Override
    public long firstDevicePfn() {
        return firstDevicePfn;
    }

    @Override
    public boolean async() {
        return async;
    }

    /**
     * The NUMA node of this pagemap's namespace: the node its memmap workers are placed on ({@link
     * NumaTopology#placeCurrentThread}), one of its engine's {@link Engine#numa()} nodes.
     */
    public int nid() {
        return addedRange().nid();
    }

    /** The name of the memmap strategy building this pagemap. */
    public String strategy() {
        return initializer.strategy().name();
    }

    /**
     * When the namespace over this pagemap is available to its users, as its strategy declares:
     * when the add returned, or once every struct page is initialized.
     */
    public MemmapAvailability availability() {
        return initializer.strategy().availability();
    }

    /**
     * True when a {@link #memmapSync} may initialize pages in the caller's thread; false when it
     * waits until every memmap worker has ended (its strategy's pass).
     */
    public boolean foregroundSync() {
        return initializer.strategy().foregroundSync();
    }

    @Override
    public void memmapSync(long pfn, long nrPages) {
        if (nrPages <= 0) {
            throw ZoneDeviceException.invalid(
                    "memmapSync of " + nrPages + " pages; accepted: 1 or more");
        }
        long end = range().endPfn();
        if (pfn < firstDevicePfn || pfn >= end || nrPages > end - pfn) {
            throw ZoneDeviceException.outOfRange(
                    String.format(
                            "pfns [%#x, +%d) are not all device pages of pgmap %d;"
                                    + " accepted: [%#x, %#x)",
                            pfn, nrPages, id, firstDevicePfn, end));
        }
        withReference(() -> initializer.sync(pfn, nrPages));
    }

    @Override
    public MemmapState memmapState() {
        if (ref.killed()) {
            throw tornDown();
        }
        return initializer.memmapState();
    }

    /**
     * Waits until {@code memmap_state} reads {@link MemmapState#IDLE idle}; returns true when it
     * does within {@code timeout}. The calling thread blocks on the initializer's completion (the
     * last sub-range done, by a worker or a foreground sync), not a polling loop, and initializes
     * nothing itself. Returns false when the timeout passed first, and early when a failure keeps
     * the memmap from completing ({@link #failure()} non-null; only a {@link #sync()} can heal it
     * then). Returns true at once when idle. Thread-safe; any number of threads may wait.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} for a null timeout, {@link
     *     ErrorCode#NO_DEVICE} when teardown began before or during the wait, {@link
     *     ErrorCode#INTERRUPTED} when interrupted while waiting (the interrupt flag stays set)
     */
    public boolean awaitIdle(Duration timeout) {
        ZoneDeviceException.requirePresent(timeout, "timeout");
        if (ref.killed()) {
            throw tornDown();
        }
        boolean idle;
        try {
            idle = initializer.awaitIdle(timeout);
        } catch (InterruptedException e) {
            throw Interrupts.interrupted(
                    "interrupted waiting for memmap_state of pgmap " + id + " to read idle", e);
        }
        if (!idle && ref.killed()) {
            throw tornDown();
        }
        return idle;
    }

    @Override
    public void sync() {
        withReference(initializer::syncAll);
    }

    /**
     * Audits every struct page and the exactly-once record.
     *
     * @throws ZoneDeviceException {@link ErrorCode#BUSY} while {@code memmap_state} is active,
     *     {@link ErrorCode#NO_DEVICE} after teardown began
     */
    public MemmapAudit audit() {
        return withReference(
                () -> {
                    if (initializer.memmapState() != MemmapState.IDLE) {
                        throw ZoneDeviceException.busy(
                                "pgmap "
                                        + id
                                        + " cannot be audited while memmap_state is active;"
                                        + " write sync first");
                    }
                    return initializer.audit();
                });
    }

    private void withReference(Runnable work) {
        withReference(
                () -> {
                    work.run();
                    return null;
                });
    }

    private ZoneDeviceException tornDown() {
        return ZoneDeviceException.noDevice(
                "pgmap " + id + " at " + range() + " is being torn down");
    }

    private <T> T withReference(Supplier<T> work) {
        if (!ref.tryGet()) {
            throw tornDown();
        }
        try {
            TestHooks.reach(TestHooks.Point.REFERENCE_HELD);
            return work.get();
        } finally {
            ref.put();
        }
    }

    /**
     * The failure that keeps this memmap from completing now, or null: a background worker's
     * failure while some sub-range is still not initialized. It describes the present: once every
     * page is initialized (a sync healed what a failure left) it is null again. Every failure,
     * healed or not, stays in the engine's {@link FailureLog} and in JFR. Thread-safe.
     */
    public Throwable failure() {
        return initializer.failure();
    }

    /** The current reference count (0 after teardown). */
    public long referenceCount() {
        return ref.count();
    }

    /** Pages initialized by background workers so far. */
    public long pagesInitializedByWorkers() {
        return initializer.pagesByWorkers();
    }

    /** Pages initialized in the foreground (memmapSync, sync) so far. */
    public long pagesInitializedInForeground() {
        return initializer.pagesInForeground();
    }

    /** The compound order of the device pages ({@code vmemmap_shift}), 0 for ordinary pages. */
    public int compoundOrder() {
        CompoundMemmap c = initializer.compound();
        return c == null ? 0 : c.order();
    }

    /** True when the compound pages' tail vmemmap pages are reused. */
    public boolean vmemmapReuse() {
        return added.reuse() != null;
    }

    /**
     * Why the tail vmemmap pages are not reused: "" when they are or the pages are not compound,
     * else the reason (an altmap, a section shared with memory whose memmap has no reuse, ...).
     */
    public String noReuseReason() {
        return added.reuseDecision().reason();
    }

    /** Struct pages written so far: with tail reuse, 128 per compound page. */
    public long structPagesWritten() {
        return initializer.structPagesWritten();
    }

    /**
     * Bytes of vmemmap holding this pagemap's struct pages: with tail reuse the two frames of each
     * populated compound page, else 64 bytes per struct page written (in RAM, or on the device for
     * an altmap).
     */
    public long vmemmapBytesResident() {
        CompoundVmemmap reuse = added.reuse();
        return reuse != null ? reuse.residentBytes() : structPagesWritten() << 6;
    }

    /** Nanoseconds from registration until every page was initialized, or -1 while active. */
    public long initDurationNanos() {
        return initializer.initDurationNanos();
    }

    /**
     * {@link System#nanoTime()} at the moment the last struct page was published, or -1 while
     * active: subtract a caller's own start time from it, rather than adding durations.
     */
    public long initDoneAtNanos() {
        return initializer.idleAtNanos();
    }

    /** The exactly-once record of the sub-ranges. */
    public SubRangeLog subRangeLog() {
        return initializer.log();
    }

    /**
     * True when the struct page of {@code pfn} is mapped and holds exactly what initialization
     * writes for it; false for pfns outside the pagemap or not initialized. Safe at any time before
     * teardown: an unmapped block is never read.
     */
    public boolean isPageInitialized(long pfn) {
        return withReference(() -> range().containsPfn(pfn) && initializer.isInitialized(pfn));
    }

    /** The memmap segment, for tests that read struct pages directly. */
    MemorySegment initializerMemmap() {
        return initializer.memmap();
    }

    /** The initializer's cut of the pages. */
    MemmapInitializer initializer() {
        return initializer;
    }

    /** The added range under this pagemap. */
    AddedRange addedRange() {
        return added;
    }

    /** True once teardown finished. */
    public boolean closed() {
        return teardown.next() == Teardown.Phase.DONE;
    }

    /** True once teardown began (even if it stopped midway and was not resumed yet). */
    public boolean tearingDown() {
        return ref.killed();
    }

    /**
     * True when a teardown stopped midway (interrupted, timed out) and nobody is resuming it now.
     */
    boolean teardownStopped() {
        return teardown.stopped();
    }

    /**
     * Tears the pagemap down, or resumes a teardown that stopped; a no-op once done. Callable from
     * an interrupted thread: a pending interrupt does not stop it and stays set. Each wait is
     * bounded by five minutes.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INTERRUPTED} when interrupted while it waits,
     *     {@link ErrorCode#BUSY} when a wait timed out (a reference still held, a worker still
     *     running); the message names the phases left, and calling close again resumes
     */
    @Override
    public void close() {
        close(TEARDOWN_TIMEOUT);
    }

    /**
     * Tears down for a caller with nobody to retry after it (the rollback of a failed add or
     * create): an interrupt does not stop it, it runs to the end, each wait bounded as in {@link
     * #close()}, and sets the interrupt flag again if one came.
     *
     * @throws ZoneDeviceException {@link ErrorCode#BUSY} when a wait timed out, or what a step
     *     threw, naming the phases left
     */
    void closeUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    close();
                    return;
                } catch (ZoneDeviceException e) {
                    if (e.code() != ErrorCode.INTERRUPTED) {
                        throw e;
                    }
                    interrupted = true;
                    Thread.interrupted(); // resume the phase it stopped at
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@link #close()} with each wait bounded by {@code timeout}. */
    void close(Duration timeout) {
        teardown.run(timeout);
    }

    private void awaitWorkersStopped(Duration timeout) {
        try {
            if (!initializer.awaitWorkers(timeout)) {
                throw ZoneDeviceException.busy(
                        "memmap workers of pgmap " + id + " did not stop in " + timeout);
            }
        } catch (InterruptedException e) {
            throw Interrupts.interrupted(
                    "interrupted waiting for the memmap workers of pgmap " + id + " to stop", e);
        }
    }
}
