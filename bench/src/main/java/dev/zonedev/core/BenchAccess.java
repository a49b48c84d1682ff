package dev.zonedev.core;

import dev.zonedev.api.VmemmapBlockSize;
import java.lang.foreign.MemorySegment;

/**
 * The few package-private engine pieces the benchmarks measure directly, opened to {@code
 * dev.zonedev.bench}. It lives in the bench module (a split package on the class path) so that core
 * keeps its API as it is. Nothing here changes engine state except {@link #reinitialize}, which
 * rewrites struct pages with the bytes they already hold.
 */
public final class BenchAccess {
    /** {@code SECTIONS_PGSHIFT}: where the section number sits in the flags word. */
    public static final int SECTIONS_PGSHIFT = StructPage.SECTIONS_PGSHIFT;

    /** {@code LIST_POISON2}: the lru word of a device page. */
    public static final long LIST_POISON2 = StructPage.LIST_POISON2;

    /** The refcount/mapcount word of a fresh struct page. */
    public static final long COUNTS = StructPage.COUNTS;

    private BenchAccess() {}

    /** Flags word of node {@code nid} without the section bits. */
    public static long baseFlags(int nid) {
        return StructPage.baseFlags(nid);
    }

    /**
     * The engine's page-initialization loop, as the memmap initializer calls it for device pages.
     */
    public static void initRange(
            MemorySegment memmap,
            long pfn,
            long endPfn,
            long baseFlags,
            int sectionPfnShift,
            long pgmapId) {
        StructPage.initRange(
                memmap, pfn, endPfn, baseFlags, sectionPfnShift, pgmapId, StructPage.LIST_POISON2);
    }

    /**
     * True when {@code pfn}'s struct page holds what {@link #initRange} writes with {@code
     * baseFlags}, checked as the engine's audit does: field by field, for the node {@code
     * baseFlags} names.
     */
    public static boolean matches(
            MemorySegment memmap, long pfn, long baseFlags, int sectionPfnShift, long pgmapId) {
        return StructPage.matches(
                memmap,
                pfn,
                StructPage.nodeOf(baseFlags),
                sectionPfnShift,
                pgmapId,
                StructPage.LIST_POISON2);
    }

    /**
     * The whole memmap segment of {@code pagemap}'s engine; struct page of pfn at {@code pfn << 6}.
     */
    public static MemorySegment memmap(DevicePagemap pagemap) {
        return pagemap.initializerMemmap();
    }

    /** Sub-ranges the pagemap's initializer cut its pages into. */
    public static int nrSubRanges(DevicePagemap pagemap) {
        return pagemap.initializer().nrSubRanges();
    }

    /** Pages per sub-range (the last may be shorter). */
    public static long subRangePages(DevicePagemap pagemap) {
        return pagemap.initializer().subRangePages();
    }

    /** Bytes of bookkeeping the initializer keeps per sub-range. */
    public static int bookkeepingBytesPerSubRange() {
        return MemmapInitializer.bookkeepingBytesPerSubRange();
    }

    /** log2 of the pages in a section of the engine's arch. */
    public static int sectionPfnShift(Engine engine) {
        return Long.numberOfTrailingZeros(engine.arch().sectionSize())
                - dev.zonedev.api.Pages.PAGE_SHIFT;
    }

    /** Memmap block size of the engine's arch. */
    public static VmemmapBlockSize blockSize(Engine engine) {
        return engine.arch().vmemmapBlockSize();
    }

    /**
     * Rewrites the struct pages of sub-ranges {@code [first, end)} of a fully initialized pagemap
     * with the engine's loop and cut (no claim, no population): the cost of initializing memmap
     * that is already mapped and warm.
     */
    public static void reinitialize(
            DevicePagemap pagemap, int sectionPfnShift, int first, int end) {
        MemmapInitializer init = pagemap.initializer();
        MemorySegment memmap = init.memmap();
        long sub = init.subRangePages();
        long start = pagemap.range().startPfn();
        long stop = pagemap.range().endPfn();
        long flags = StructPage.baseFlags(0);
        for (int i = first; i < end; i++) {
            long from = start + i * sub;
            StructPage.initRange(
                    memmap,
                    from,
                    Math.min(from + sub, stop),
                    flags,
                    sectionPfnShift,
                    pagemap.id(),
                    StructPage.LIST_POISON2);
        }
    }

    /**
     * Anonymous private mapping of {@code length} bytes, through the same FFM downcall the engine
     * uses.
     */
    public static long mmapAnonymous(long length) {
        return Native.mmap(
                0,
                length,
                Native.PROT_READ | Native.PROT_WRITE,
                Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_NORESERVE,
                -1,
                0);
    }

    /** {@code madvise(MADV_HUGEPAGE)}. */
    public static boolean madviseHuge(long address, long length) {
        return Native.madvise(address, length, Native.MADV_HUGEPAGE);
    }

    /** {@code munmap}. */
    public static void munmap(long address, long length) {
        Native.munmap(address, length);
    }
}
