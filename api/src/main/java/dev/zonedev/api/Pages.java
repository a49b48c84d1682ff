package dev.zonedev.api;

/**
 * Page geometry shared by every arch: 4 KiB base pages, 64-byte struct pages and 2 MiB sub-sections
 * (the hotplug granularity Linux has had since 5.3).
 */
public final class Pages {
    /** log2 of the base page size. */
    public static final int PAGE_SHIFT = 12;

    /** Base page size in bytes. */
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;

    /** Size of one struct page in the memmap, in bytes. */
    public static final long STRUCT_PAGE_SIZE = 64;

    /** log2 of {@link #STRUCT_PAGE_SIZE}. */
    public static final int STRUCT_PAGE_SHIFT = 6;

    /** log2 of the sub-section size. */
    public static final int SUBSECTION_SHIFT = 21;

    /** Sub-section size: the smallest unit a range may be added or removed in. */
    public static final long SUBSECTION_SIZE = 1L << SUBSECTION_SHIFT;

    /** Pages in one sub-section. */
    public static final long PAGES_PER_SUBSECTION = SUBSECTION_SIZE >>> PAGE_SHIFT;

    /** 2 MiB: a pmd mapping. */
    public static final long PMD_SIZE = 1L << 21;

    /** 1 GiB: a pud mapping. */
    public static final long PUD_SIZE = 1L << 30;

    private Pages() {}

    /** The pfn of a physical address. */
    public static long pfn(long physAddr) {
        return physAddr >>> PAGE_SHIFT;
    }

    /** The physical address of a pfn. */
    public static long physAddr(long pfn) {
        return pfn << PAGE_SHIFT;
    }

    /** Memmap bytes needed for {@code nrPages} struct pages. */
    public static long memmapBytes(long nrPages) {
        return nrPages << STRUCT_PAGE_SHIFT;
    }
}
