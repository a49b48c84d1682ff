package dev.zonedev.bench;

import dev.zonedev.core.BenchAccess;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The reference the engine's page-initialization loop is held against: the same 64 bytes per page,
 * written in the plainest fast form (a long offset stepping by 64, the section bits hoisted out of
 * the inner loop, constants in registers), with no claim, no population and no bookkeeping around
 * it.
 */
public final class ReferenceLoop {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;

    private ReferenceLoop() {}

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
        long lru = BenchAccess.LIST_POISON2;
        long counts = BenchAccess.COUNTS;
        while (pfn < endPfn) {
            long section = pfn >>> sectionPfnShift;
            long sectionEnd = Math.min(endPfn, (section + 1) << sectionPfnShift);
            long flags = baseFlags | (section << BenchAccess.SECTIONS_PGSHIFT);
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
