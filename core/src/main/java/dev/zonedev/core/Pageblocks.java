package dev.zonedev.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The migratetype of every pageblock of a pagemap ({@code set_pageblock_migratetype}): one byte per
 * pageblock of {@code 2^order} pages, off-heap (32 MiB for 64 TiB with 2 MiB pageblocks), zero
 * until marked. Device memory is marked {@link #MIGRATE_MOVABLE} by whoever initializes the struct
 * pages of a pageblock; a compound page marks every pageblock it spans, not only its first (the
 * 2026 fix for 1 GiB compound pages over 2 MiB pageblocks).
 *
 * <p>Thread-safe in the way the memmap is: writers mark the pageblocks of the pfns they own; two
 * writers of a pageblock that straddles their sub-ranges store the same byte. Readers read after
 * initialization.
 */
final class Pageblocks {
    /** The kernel's {@code MIGRATE_MOVABLE}. */
    static final byte MIGRATE_MOVABLE = 1;

    private final MemorySegment types;
    private final long firstBlock;
    private final int order;

    /** Pageblocks of pfns {@code [startPfn, endPfn)}, each {@code 2^order} pages. */
    Pageblocks(long startPfn, long endPfn, int order) {
        this.order = order;
        this.firstBlock = startPfn >>> order;
        long count = ((endPfn - 1) >>> order) - firstBlock + 1;
        this.types = Arena.ofAuto().allocate(count);
    }

    /** Marks movable every pageblock holding a pfn of {@code [from, to)}. */
    void markMovable(long from, long to) {
        for (long b = (from >>> order); b <= ((to - 1) >>> order); b++) {
            types.set(ValueLayout.JAVA_BYTE, b - firstBlock, MIGRATE_MOVABLE);
        }
    }

    /** The migratetype of the pageblock of {@code pfn}. */
    byte migratetype(long pfn) {
        return types.get(ValueLayout.JAVA_BYTE, (pfn >>> order) - firstBlock);
    }

    /** Sets the migratetype of {@code pfn}'s pageblock (tests corrupt it with this). */
    void set(long pfn, byte type) {
        types.set(ValueLayout.JAVA_BYTE, (pfn >>> order) - firstBlock, type);
    }

    /** Pageblocks holding a pfn of {@code [from, to)}. */
    long count(long from, long to) {
        return ((to - 1) >>> order) - (from >>> order) + 1;
    }

    /** Pageblocks holding a pfn of {@code [from, to)} that are not marked movable. */
    long countUnmarked(long from, long to) {
        long bad = 0;
        for (long b = (from >>> order); b <= ((to - 1) >>> order); b++) {
            bad += types.get(ValueLayout.JAVA_BYTE, b - firstBlock) == MIGRATE_MOVABLE ? 0 : 1;
        }
        return bad;
    }

    /** log2 of the pages per pageblock. */
    int order() {
        return order;
    }
}
