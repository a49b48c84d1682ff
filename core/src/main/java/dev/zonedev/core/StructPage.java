package dev.zonedev.core;

import dev.zonedev.api.PageFlags;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The 64-byte struct page and the loop that initializes it ({@code __init_single_page} plus the
 * ZONE_DEVICE part of {@code memmap_init_one}). Eight words, all written:
 *
 * <pre>
 *  0 flags      zone (bits 61-63) | node (51-60) | section (32-50) | PG_reserved (bit 11)
 *  8 pgmap      id of the owning dev_pagemap (shares storage with lru.next)
 * 16 lru.prev   LIST_POISON2 on device pages: a device page must never reach an LRU list
 * 24 mapping    0
 * 32 index      0
 * 40 private    0
 * 48 _mapcount  -1 (int, page not mapped) and _refcount 1 (int at 52)
 * 56 reserved   0
 * </pre>
 *
 * The field widths are {@link PageFlags}'; the API bounds every node id and section number to them,
 * and the audit decodes the fields back ({@link #flagsMatch}).
 *
 * <p>The altmap's non-device pages get the same words except pgmap 0 and lru.prev 0. The init loop
 * allocates nothing and takes no lock; the caller owns the pfns it writes.
 */
final class StructPage {
    static final int ZONE_DEVICE = 4;
    static final int ZONES_PGSHIFT = PageFlags.ZONE_SHIFT;
    static final int NODES_PGSHIFT = PageFlags.NODE_SHIFT;
    static final int SECTIONS_PGSHIFT = PageFlags.SECTION_SHIFT;
    static final int MAX_NODES = PageFlags.MAX_NODES;
    static final long MAX_SECTIONS = PageFlags.MAX_SECTIONS;
    static final long PG_RESERVED = 1L << 11;

    /** The page-flag bits below the fields. */
    static final long PAGE_FLAG_MASK = (1L << PageFlags.FLAG_BITS) - 1;

    static final long LIST_POISON2 = 0xdead000000000200L;

    /** _mapcount -1 in the low int, _refcount 1 in the high int. */
    static final long COUNTS = (1L << 32) | 0xffffffffL;

    static final long FLAGS = 0;
    static final long PGMAP = 8;
    static final long LRU_PREV = 16;
    static final long MAPPING = 24;
    static final long INDEX = 32;
    static final long PRIVATE = 40;
    static final long MAPCOUNT_REFCOUNT = 48;
    static final long RESERVED = 56;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;

    private StructPage() {}

    /** Flags word without the section bits. */
    static long baseFlags(int nid) {
        return ((long) ZONE_DEVICE << ZONES_PGSHIFT) | ((long) nid << NODES_PGSHIFT) | PG_RESERVED;
    }

    /** Flags word of {@code pfn}. */
    static long flags(long baseFlags, long pfn, int sectionPfnShift) {
        return baseFlags | ((pfn >>> sectionPfnShift) << SECTIONS_PGSHIFT);
    }

    /**
     * Initializes the struct pages of {@code [pfn, endPfn)}.
     *
     * @param pgmapWord the pgmap id for device pages, 0 for altmap pages
     * @param lruPrev {@link #LIST_POISON2} for device pages, 0 for altmap pages
     */
    static void initRange(
            MemorySegment memmap,
            long pfn,
            long endPfn,
            long baseFlags,
            int sectionPfnShift,
            long pgmapWord,
            long lruPrev) {
        for (; pfn < endPfn; pfn++) {
            long off = pfn << 6;
            memmap.set(
                    WORD, off + FLAGS, baseFlags | ((pfn >>> sectionPfnShift) << SECTIONS_PGSHIFT));
            memmap.set(WORD, off + PGMAP, pgmapWord);
            memmap.set(WORD, off + LRU_PREV, lruPrev);
            memmap.set(WORD, off + MAPPING, 0L);
            memmap.set(WORD, off + INDEX, 0L);
            memmap.set(WORD, off + PRIVATE, 0L);
            memmap.set(WORD, off + MAPCOUNT_REFCOUNT, COUNTS);
            memmap.set(WORD, off + RESERVED, 0L);
        }
    }

    /**
     * Initializes one sub-range {@code [from, to)} as the memmap workers and {@code memmapSync} do:
     * the altmap's non-device pages below {@code deviceStartPfn} (pgmap 0, lru.prev 0), then the
     * device pages. The engine's warm-up calls this same method, so the code it gets compiled is
     * the code production runs.
     */
    static void initSubRange(
            MemorySegment memmap,
            long from,
            long to,
            long deviceStartPfn,
            long baseFlags,
            int sectionPfnShift,
            long pgmapId) {
        long split = Math.clamp(deviceStartPfn, from, to);
        initRange(memmap, from, split, baseFlags, sectionPfnShift, 0L, 0L);
        initRange(memmap, split, to, baseFlags, sectionPfnShift, pgmapId, LIST_POISON2);
    }

    /**
     * True when the struct page of {@code pfn} holds what {@link #initRange} should have written
     * for a page of node {@code nid}. The flags word is decoded field by field ({@link
     * #flagsMatch}) rather than compared with the encoder's output, so an encoder that lets a value
     * spill into a neighbouring field is caught.
     */
    static boolean matches(
            MemorySegment memmap,
            long pfn,
            int nid,
            int sectionPfnShift,
            long pgmapWord,
            long lruPrev) {
        long off = pfn << 6;
        return flagsMatch(memmap.get(WORD, off + FLAGS), nid, pfn >>> sectionPfnShift)
                && memmap.get(WORD, off + PGMAP) == pgmapWord
                && memmap.get(WORD, off + LRU_PREV) == lruPrev
                && memmap.get(WORD, off + MAPPING) == 0L
                && memmap.get(WORD, off + INDEX) == 0L
                && memmap.get(WORD, off + PRIVATE) == 0L
                && memmap.get(WORD, off + MAPCOUNT_REFCOUNT) == COUNTS
                && memmap.get(WORD, off + RESERVED) == 0L;
    }

    /**
     * True when {@code flags} decodes to zone {@link #ZONE_DEVICE}, node {@code nid} and section
     * {@code section}, with PG_reserved set and no other page flag.
     */
    static boolean flagsMatch(long flags, int nid, long section) {
        return zoneOf(flags) == ZONE_DEVICE
                && nodeOf(flags) == nid
                && sectionOf(flags) == section
                && (flags & PAGE_FLAG_MASK) == PG_RESERVED;
    }

    /** The zone field of a flags word. */
    static int zoneOf(long flags) {
        return (int) (flags >>> PageFlags.ZONE_SHIFT) & ((1 << PageFlags.ZONE_BITS) - 1);
    }

    /** The node field of a flags word. */
    static int nodeOf(long flags) {
        return (int) (flags >>> PageFlags.NODE_SHIFT) & ((1 << PageFlags.NODE_BITS) - 1);
    }

    /** The section field of a flags word. */
    static long sectionOf(long flags) {
        return (flags >>> PageFlags.SECTION_SHIFT) & ((1L << PageFlags.SECTION_BITS) - 1);
    }
}
