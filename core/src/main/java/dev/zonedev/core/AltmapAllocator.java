package dev.zonedev.core;

import dev.zonedev.api.AltmapBlocks;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carves memmap blocks out of a device's altmap ({@code altmap_alloc_block_buf}) by the rule of
 * {@link AltmapBlocks}: blocks come in order after the reserve, each starting at {@link
 * AltmapBlocks#blockStart}, and the pages skipped for alignment are counted in {@code align}. An
 * altmap that passed {@link AltmapBlocks#checkFits} for its range never runs out here. Thread-safe:
 * one lock guards the cursor, held only for the arithmetic.
 */
final class AltmapAllocator {
    private final VmemAltmap altmap;
    private final FaultInjector faults;
    private final ReentrantLock lock = new ReentrantLock();
    private long alloc;
    private long align;

    AltmapAllocator(VmemAltmap altmap, FaultInjector faults) {
        this.altmap = altmap;
        this.faults = faults;
        this.alloc = altmap.alloc();
        this.align = altmap.align();
    }

    /**
     * Allocates {@code nrPfns} contiguous pages and returns the first pfn.
     *
     * @throws ZoneDeviceException out-of-memory when the altmap has too few free pages left
     */
    long allocBlock(long nrPfns) {
        faults.check(VmemmapLevel.ALTMAP, nrPfns + " pages from altmap " + altmap);
        lock.lock();
        try {
            TestHooks.reach(TestHooks.Point.ALTMAP_LOCKED);
            long pfn = altmap.basePfn() + altmap.reserve() + alloc + align;
            long nrAlign = AltmapBlocks.blockStart(pfn, nrPfns) - pfn;
            long nrFree = Math.max(0, altmap.free() - alloc - align);
            if (nrPfns + nrAlign > nrFree) {
                throw ZoneDeviceException.outOfMemory(
                        "altmap exhausted: a block of "
                                + nrPfns
                                + " pages (+"
                                + nrAlign
                                + " for alignment) does not fit in the "
                                + nrFree
                                + " pages left of "
                                + altmap);
            }
            alloc += nrPfns;
            align += nrAlign;
            return pfn + nrAlign;
        } finally {
            lock.unlock();
        }
    }

    /** True while some thread holds this allocator's lock (invariant 6). */
    boolean locked() {
        return lock.isLocked();
    }
}
