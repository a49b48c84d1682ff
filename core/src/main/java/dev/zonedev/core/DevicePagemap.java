package dev.zonedev.core;

import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.time.Duration;

/**
 * The engine's {@link DevPagemap}: a registered range, its memmap initializer and its
 * reference count. Every {@link #memmapSync} holds a reference while it runs; teardown kills
 * the reference, stops the workers and waits for them and for every reference before it
 * unmaps the memmap, so nothing touches the memmap after it is gone. Thread-safe.
 */
public final class DevicePagemap implements DevPagemap {
    private static final Duration TEARDOWN_TIMEOUT = Duration.ofMinutes(5);

    private final long id;
    private final AddedRange added;
    private final MemmapInitializer initializer;
    private final Hotplug hotplug;
    private final PgmapRef ref = new PgmapRef();
    private final boolean async;
    private final long firstDevicePfn;
    private final Runnable onClose;
    private boolean closed;

    DevicePagemap(long id, AddedRange added, MemmapInitializer initializer, Hotplug hotplug, boolean async,
            long firstDevicePfn, Runnable onClose) {
        this.id = id;
        this.added = added;
        this.initializer = initializer;
        this.hotplug = hotplug;
        this.async = async;
        this.firstDevicePfn = firstDevicePfn;
        this.onClose = onClose;
        ref.tryGet(); // the single reference held by the pages of the whole range
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

    @Override
    public void memmapSync(long pfn, long nrPages) {
        if (nrPages <= 0) {
            throw ZoneDeviceException.invalid("memmapSync of " + nrPages + " pages; accepted: 1 or more");
        }
        long end = range().endPfn();
        if (pfn < firstDevicePfn || pfn >= end || nrPages > end - pfn) {
            throw ZoneDeviceException.outOfRange(String.format("pfns [%#x, +%d) are not all device pages of pgmap %d;"
                    + " accepted: [%#x, %#x)", pfn, nrPages, id, firstDevicePfn, end));
        }
        withReference(() -> initializer.sync(pfn, nrPages));
    }

    @Override
    public MemmapState memmapState() {
        return initializer.memmapState();
    }

    @Override
    public void sync() {
        withReference(initializer::syncAll);
    }

    /**
     * Audits every struct page and the exactly-once record.
     *
     * @throws ZoneDeviceException {@link ErrorCode#BUSY} while {@code memmap_state} is
     *     active, {@link ErrorCode#NO_DEVICE} after teardown began
     */
    public MemmapAudit audit() {
        return withReference(() -> {
            if (initializer.memmapState() != MemmapState.IDLE) {
                throw ZoneDeviceException.busy("pgmap " + id + " cannot be audited while memmap_state is active;"
                        + " write sync first");
            }
            return initializer.audit();
        });
    }

    private void withReference(Runnable work) {
        withReference(() -> {
            work.run();
            return null;
        });
    }

    private <T> T withReference(java.util.function.Supplier<T> work) {
        if (!ref.tryGet()) {
            throw ZoneDeviceException.noDevice("pgmap " + id + " at " + range() + " is being torn down");
        }
        try {
            return work.get();
        } finally {
            ref.put();
        }
    }

    /** The first failure of a background worker or of the background population, or null. */
    public Throwable failure() {
        Throwable t = initializer.failure();
        return t != null ? t : added.backgroundFailure();
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

    /** Nanoseconds from registration until every page was initialized, or -1 while active. */
    public long initDurationNanos() {
        return initializer.initDurationNanos();
    }

    /** The exactly-once record of the sub-ranges. */
    public SubRangeLog subRangeLog() {
        return initializer.log();
    }

    /**
     * True when the struct page of {@code pfn} is mapped and holds exactly what
     * initialization writes for it; false for pfns outside the pagemap or not initialized.
     * Safe at any time before teardown: an unmapped block is never read.
     */
    public boolean isPageInitialized(long pfn) {
        return withReference(() -> range().containsPfn(pfn) && initializer.isInitialized(pfn));
    }

    /** The memmap segment, for tests that read struct pages directly. */
    java.lang.foreign.MemorySegment initializerMemmap() {
        return initializer.memmap();
    }

    /** The initializer's cut of the pages. */
    MemmapInitializer initializer() {
        return initializer;
    }

    /** True once teardown finished. */
    public synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        ref.kill();
        initializer.stop();
        awaitWorkers();
        ref.put(); // the pages' reference
        ref.awaitZero(TEARDOWN_TIMEOUT);
        hotplug.remove(added);
        closed = true;
        onClose.run();
    }

    private void awaitWorkers() {
        try {
            if (!initializer.awaitWorkers(TEARDOWN_TIMEOUT)) {
                throw ZoneDeviceException.busy("memmap workers of pgmap " + id + " did not stop in " + TEARDOWN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZoneDeviceException(ErrorCode.INTERRUPTED, "interrupted tearing down pgmap " + id, e);
        }
    }
}
