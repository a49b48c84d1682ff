package dev.zonedev.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The struct pages of a compound page ({@code prep_compound_head}, {@code prep_compound_tail},
 * {@code memmap_init_compound}): {@code 2^order} pages whose first is the head. The words are those
 * of {@link StructPage} with these differences:
 *
 * <pre>
 *  head:  flags     | PG_head (bit 16)
 *         private   the compound order (the kernel keeps it in the first tail's folio fields)
 *  tail:  pgmap     compound_head: the head's struct page address | 1 (the word shares storage
 *                   with lru.next and pgmap, as in the kernel; a tail reaches its pgmap through
 *                   its head)
 *         refcount  0 (mapcount -1 as on every device page)
 * </pre>
 *
 * The struct page address is the modelled vmemmap address {@code vmemmap_base + pfn * 64}, so
 * {@code compound_head} decodes back to the head's pfn whichever frame holds the head. Every struct
 * page of a compound page carries the head's section number in its flags. The writers allocate
 * nothing and take no lock; the caller owns the compound page.
 */
final class CompoundPage {
    /** The head flag ({@code PG_head}). */
    static final long PG_HEAD = 1L << 16;

    /** _mapcount -1 in the low int, _refcount 0 in the high int. */
    static final long TAIL_COUNTS = 0xffffffffL;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;

    private CompoundPage() {}

    /**
     * Writes a compound page's head at {@code headOff} of {@code seg} and {@code nrTails} tails
     * right after it ({@code memmap_init_compound}; with vmemmap tail reuse the caller writes only
     * the tails of the head's own two vmemmap pages).
     *
     * @param flags the flags word of the head (zone, node, the head's section, PG_reserved)
     * @param headAddress the head's modelled struct page address
     */
    static void init(
            MemorySegment seg,
            long headOff,
            long nrTails,
            long flags,
            long pgmapId,
            int order,
            long headAddress) {
        long compoundHead = headAddress | 1;
        long end = headOff + ((nrTails + 1) << 6);
        for (long off = headOff + 64; off < end; off += 64) {
            prepTail(seg, off, flags, compoundHead);
        }
        prepHead(seg, headOff, flags, pgmapId, order);
    }

    /** Writes a head struct page ({@code __SetPageHead} + {@code prep_compound_head}). */
    static void prepHead(MemorySegment seg, long off, long flags, long pgmapId, int order) {
        seg.set(WORD, off + StructPage.FLAGS, flags | PG_HEAD);
        seg.set(WORD, off + StructPage.PGMAP, pgmapId);
        seg.set(WORD, off + StructPage.LRU_PREV, StructPage.LIST_POISON2);
        seg.set(WORD, off + StructPage.MAPPING, 0L);
        seg.set(WORD, off + StructPage.INDEX, 0L);
        seg.set(WORD, off + StructPage.PRIVATE, order);
        seg.set(WORD, off + StructPage.MAPCOUNT_REFCOUNT, StructPage.COUNTS);
        seg.set(WORD, off + StructPage.RESERVED, 0L);
    }

    /** Writes a tail struct page ({@code prep_compound_tail} + {@code set_page_count(page, 0)}). */
    static void prepTail(MemorySegment seg, long off, long flags, long compoundHead) {
        seg.set(WORD, off + StructPage.FLAGS, flags);
        seg.set(WORD, off + StructPage.PGMAP, compoundHead);
        seg.set(WORD, off + StructPage.LRU_PREV, StructPage.LIST_POISON2);
        seg.set(WORD, off + StructPage.MAPPING, 0L);
        seg.set(WORD, off + StructPage.INDEX, 0L);
        seg.set(WORD, off + StructPage.PRIVATE, 0L);
        seg.set(WORD, off + StructPage.MAPCOUNT_REFCOUNT, TAIL_COUNTS);
        seg.set(WORD, off + StructPage.RESERVED, 0L);
    }

    /** True when the struct page at {@code off} is a head as {@link #prepHead} writes it. */
    static boolean headMatches(
            MemorySegment seg, long off, int nid, long section, long pgmapId, int order) {
        long flags = seg.get(WORD, off + StructPage.FLAGS);
        return (flags & PG_HEAD) != 0
                && StructPage.flagsMatch(flags & ~PG_HEAD, nid, section)
                && seg.get(WORD, off + StructPage.PGMAP) == pgmapId
                && seg.get(WORD, off + StructPage.LRU_PREV) == StructPage.LIST_POISON2
                && seg.get(WORD, off + StructPage.MAPPING) == 0L
                && seg.get(WORD, off + StructPage.INDEX) == 0L
                && seg.get(WORD, off + StructPage.PRIVATE) == order
                && seg.get(WORD, off + StructPage.MAPCOUNT_REFCOUNT) == StructPage.COUNTS
                && seg.get(WORD, off + StructPage.RESERVED) == 0L;
    }

    /**
     * True when the struct page at {@code off} is a tail as {@link #prepTail} writes it, whose
     * {@code compound_head} resolves to {@code headAddress}.
     */
    static boolean tailMatches(
            MemorySegment seg, long off, int nid, long section, long headAddress) {
        return StructPage.flagsMatch(seg.get(WORD, off + StructPage.FLAGS), nid, section)
                && seg.get(WORD, off + StructPage.PGMAP) == (headAddress | 1)
                && seg.get(WORD, off + StructPage.LRU_PREV) == StructPage.LIST_POISON2
                && seg.get(WORD, off + StructPage.MAPPING) == 0L
                && seg.get(WORD, off + StructPage.INDEX) == 0L
                && seg.get(WORD, off + StructPage.PRIVATE) == 0L
                && seg.get(WORD, off + StructPage.MAPCOUNT_REFCOUNT) == TAIL_COUNTS
                && seg.get(WORD, off + StructPage.RESERVED) == 0L;
    }

    /**
     * The {@code compound_head} of a struct page of a compound page at {@code off}: for a tail (no
     * PG_head, bit 0 of the pgmap word set) the head's address, else -1. (A head's pgmap word is a
     * pgmap id, which may be odd: PG_head tells them apart.)
     */
    static long compoundHead(MemorySegment seg, long off) {
        if ((seg.get(WORD, off + StructPage.FLAGS) & PG_HEAD) != 0) {
            return -1;
        }
        long word = seg.get(WORD, off + StructPage.PGMAP);
        return (word & 1) != 0 ? word & ~1L : -1;
    }
}
