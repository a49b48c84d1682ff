package dev.zonedev.bench;

import dev.zonedev.api.PageFlags;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The reference the engine's page-initialization loop is held against: the same 64 bytes per page,
 * written in the plainest fast form (a long offset stepping by 64, the section bits hoisted out of
 * the inner loop, constants in registers), with no claim, no population and no bookkeeping around
 * it. The bytes are the kernel's, stated here on their own (ZONE_DEVICE, PG_reserved, {@code
 * LIST_POISON2}, a refcount of 1 and a mapcount of -1) rather than borrowed from the engine; {@code
 * WholeRunTest} checks that they are the bytes the engine writes.
 */
public final class ReferenceLoop {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;

    /** {@code ZONE_DEVICE} in the zone field. */
    private static final long ZONE_DEVICE = 4;

    /** {@code PG_reserved}. */
    private static final long PG_RESERVED = 1L << 11;

    /** {@code LIST_POISON2}: the lru word of a device page. */
    private static final long LIST_POISON2 = 0xdead000000000200L;

    /** The refcount (1) and mapcount (-1) word of a fresh struct page. */
    private static final long COUNTS = (1L << 32) | 0xffffffffL;

    private ReferenceLoop() {}

    /** The flags word of a device page of node {@code nid}, without the section bits. */
    public static long baseFlags(int nid) {
        return (ZONE_DEVICE << PageFlags.ZONE_SHIFT)
                | ((long) nid << PageFlags.NODE_SHIFT)
                | PG_RESERVED;
    }

    /**
     * Writes the struct pages of pfns {@code [pfn, endPfn)} into {@code memory}, where the struct
     * page of {@code pfn} sits at byte offset {@code offset}.
     */
    public static void write(
            MemorySegment memory,
            long offset,
            long pfn,
            long endPfn,
            long baseFlags,
            int sectionPfnShift,
            long pgmapId) {
        long off = offset;
        long lru = LIST_POISON2;
        long counts = COUNTS;
        while (pfn < endPfn) {
            long section = pfn >>> sectionPfnShift;
            long sectionEnd = Math.min(endPfn, (section + 1) << sectionPfnShift);
            long flags = baseFlags | (section << PageFlags.SECTION_SHIFT);
            long end = off + ((sectionEnd - pfn) << 6);
            for (; off < end; off += 64) {
                memory.set(WORD, off, flags);
                memory.set(WORD, off + 8, pgmapId);
                memory.set(WORD, off + 16, lru);
                memory.set(WORD, off + 24, 0L);
                memory.set(WORD, off + 32, 0L);
                memory.set(WORD, off + 40, 0L);
                memory.set(WORD, off + 48, counts);
                memory.set(WORD, off + 56, 0L);
            }
            pfn = sectionEnd;
        }
    }
}
