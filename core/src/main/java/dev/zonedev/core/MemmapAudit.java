package dev.zonedev.core;

/**
 * The result of auditing a pagemap's memmap: every struct page read back and compared with what
 * initialization writes, every pageblock's migratetype checked, and every sub-range's exactly-once
 * record checked.
 *
 * @param pagesChecked struct pages read (through their pfn; with vmemmap tail reuse many pfns read
 *     the same shared tail struct pages, see {@link CompoundMemmap#audit})
 * @param pagesBad struct pages whose words differ from the expected ones
 * @param firstBadPfn the first bad pfn, or -1
 * @param subRanges sub-ranges in the record
 * @param subRangesNotExactlyOnce sub-ranges initialized zero or several times
 * @param pageblocksChecked pageblocks whose migratetype was read
 * @param pageblocksBad pageblocks not marked {@link Pageblocks#MIGRATE_MOVABLE}
 */
public record MemmapAudit(
        long pagesChecked,
        long pagesBad,
        long firstBadPfn,
        int subRanges,
        int subRangesNotExactlyOnce,
        long pageblocksChecked,
        long pageblocksBad) {

    /** An audit without pageblocks. */
    public MemmapAudit(
            long pagesChecked,
            long pagesBad,
            long firstBadPfn,
            int subRanges,
            int subRangesNotExactlyOnce) {
        this(pagesChecked, pagesBad, firstBadPfn, subRanges, subRangesNotExactlyOnce, 0, 0);
    }

    /**
     * True when every page and pageblock is right and every sub-range was initialized exactly once.
     */
    public boolean ok() {
        return pagesBad == 0 && subRangesNotExactlyOnce == 0 && pageblocksBad == 0;
    }
}
