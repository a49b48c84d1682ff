package dev.zonedev.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The template page writer ({@link PageInit#TEMPLATE}): one template struct page per kind of page
 * of a pagemap (device pages, altmap pages), prepared once, copied into each page. The only word
 * that depends on the pfn is the flags word, and only through its section bits, so within one
 * section every struct page is the same 64 bytes. A range is therefore written section by section:
 * the first page from the template with the section's flags word, then a staging block of {@link
 * #STAGING_PAGES} pages at the start of that section's part of the range (doubled up from the first
 * page), then that block copied whole over the rest with {@link MemorySegment#copy}.
 *
 * <p>The staging block lives in the memmap itself, in pages the caller owns, so the writer keeps no
 * per-thread state and allocates nothing. Of the bulk copies this JDK offers, measured with {@code
 * PageInitBenchmark} (BENCHMARKS.md, "Page writers"): when the memmap is memory bound, as a real
 * one is, every option writes at the same rate as the eight stores of {@link StructPage} (the
 * figures are consistent with stores that first read their cache lines, which the C library's
 * {@code memset} avoids, 2-3 times faster, but it writes no pattern); when cache resident, {@code
 * MemorySegment.copy} from this 4 KiB block beat a native {@code memcpy} through the FFM linker,
 * larger and smaller blocks and doubling copies, and was beaten only by 256-bit stores through the
 * incubating Vector API, which would need {@code --add-modules jdk.incubator.vector} and a warning
 * at every start. Immutable and thread-safe; the caller owns the pfns it writes.
 */
final class StructPageTemplate {
    /** Pages of the staging block: 4 KiB of struct pages, well inside L1. */
    static final int STAGING_PAGES = 64;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;

    /** The template page: the flags word without section bits, then the seven other words. */
    private final MemorySegment page;

    private final long baseFlags;

    private StructPageTemplate(long baseFlags, long pgmapWord, long lruPrev) {
        this.baseFlags = baseFlags;
        this.page = MemorySegment.ofArray(new long[8]);
        page.set(WORD, StructPage.FLAGS, baseFlags);
        page.set(WORD, StructPage.PGMAP, pgmapWord);
        page.set(WORD, StructPage.LRU_PREV, lruPrev);
        page.set(WORD, StructPage.MAPCOUNT_REFCOUNT, StructPage.COUNTS);
    }

    /** The template of a device page of pgmap {@code pgmapId} (pgmap id, LIST_POISON2). */
    static StructPageTemplate device(long baseFlags, long pgmapId) {
        return new StructPageTemplate(baseFlags, pgmapId, StructPage.LIST_POISON2);
    }

    /** The template of an altmap page outside the device (pgmap 0, lru.prev 0). */
    static StructPageTemplate altmap(long baseFlags) {
        return new StructPageTemplate(baseFlags, 0L, 0L);
    }

    /**
     * Writes the struct pages of {@code [from, to)} as {@link StructPage#initRange} would with this
     * template's words.
     */
    void initRange(MemorySegment memmap, long from, long to, int sectionPfnShift) {
        long pfn = from;
        while (pfn < to) {
            long sectionEnd = ((pfn >>> sectionPfnShift) + 1) << sectionPfnShift;
            long end = Math.min(to, sectionEnd);
            initInSection(memmap, pfn, end, sectionPfnShift);
            pfn = end;
        }
    }

    /**
     * The same as {@link StructPage#initSubRange}, with {@code device} and {@code altmap} for the
     * two kinds of pages.
     */
    static void initSubRange(
            MemorySegment memmap,
            long from,
            long to,
            long deviceStartPfn,
            int sectionPfnShift,
            StructPageTemplate altmap,
            StructPageTemplate device) {
        long split = Math.clamp(deviceStartPfn, from, to);
        altmap.initRange(memmap, from, split, sectionPfnShift);
        device.initRange(memmap, split, to, sectionPfnShift);
    }

    /** {@code [from, to)} lies in one section. */
    private void initInSection(MemorySegment memmap, long from, long to, int sectionPfnShift) {
        long base = from << 6;
        MemorySegment.copy(page, 0, memmap, base, 64);
        memmap.set(WORD, base, StructPage.flags(baseFlags, from, sectionPfnShift));
        long staged = Math.min(to - from, STAGING_PAGES);
        for (long have = 1; have < staged; ) {
            long n = Math.min(have, staged - have);
            MemorySegment.copy(memmap, base, memmap, base + (have << 6), n << 6);
            have += n;
        }
        for (long p = from + staged; p < to; p += staged) {
            MemorySegment.copy(memmap, base, memmap, p << 6, Math.min(staged, to - p) << 6);
        }
    }
}
