package dev.zonedev.core;

/**
 * The result of auditing a pagemap's memmap: every struct page read back and compared with what
 * initialization writes, and every sub-range's exactly-once record checked.
 *
 * @param pagesChecked struct pages read
 * @param pagesBad struct pages whose words differ from the expected ones
 * @param firstBadPfn the first bad pfn, or -1
 * @param subRanges sub-ranges in the record
 * @param subRangesNotExactlyOnce sub-ranges initialized zero or several times
 */
public record MemmapAudit(
        long pagesChecked,
        long pagesBad,
        long firstBadPfn,
        int subRanges,
        int subRangesNotExactlyOnce) {

    /** True when every page is right and every sub-range was initialized exactly once. */
    public boolean ok() {
        return pagesBad == 0 && subRangesNotExactlyOnce == 0;
    }
}
