package dev.zonedev.cli;

/**
 * What one run of one combination measured in {@code zonedev compare}, over all its namespaces.
 * Immutable.
 *
 * @param availableMs from the start of the first create until every namespace was usable: its
 *     create returned or, under a strategy that makes a namespace wait for its memmap ({@code
 *     upstream}), its last struct page was published
 * @param initializedMs from the start of the first create until the last struct page of the last
 *     memmap was published, and every namespace was available (never less than {@code availableMs}:
 *     a small memmap can be done before the last create returns)
 * @param firstPfnP50Ms median latency of the workload's faults with a pfn, all namespaces pooled;
 *     null without faults
 * @param firstPfnP99Ms their 99th percentile; null without faults
 * @param firstPfnMaxMs their maximum; null without faults
 * @param foregroundPages struct pages initialized in the foreground (memmapSync, sync)
 * @param nsPerPage time spent initializing a sub-range, summed over sub-ranges, per struct page
 *     (the cost of the page loop on one thread); null without sub-ranges
 * @param memmapBytesResident bytes of vmemmap holding the memmaps' struct pages, in RAM or on the
 *     device (with tail reuse, the two frames of each compound page)
 * @param memmapBytesInRam the part of {@code memmapBytesResident} in RAM ({@code map=mem}; a {@code
 *     map=dev} memmap lives on the device)
 * @param pagesChecked struct pages the audit verified
 * @param pagesBad struct pages the audit found wrong
 * @param subRangesNotExactlyOnce sub-ranges initialized other than exactly once
 * @param pageblocksBad pageblocks the audit found with the wrong migratetype
 * @param faultErrors workload faults that failed
 */
record RunFigures(
        double availableMs,
        double initializedMs,
        Double firstPfnP50Ms,
        Double firstPfnP99Ms,
        Double firstPfnMaxMs,
        long foregroundPages,
        Double nsPerPage,
        long memmapBytesResident,
        long memmapBytesInRam,
        long pagesChecked,
        long pagesBad,
        long subRangesNotExactlyOnce,
        long pageblocksBad,
        long faultErrors) {

    /**
     * True when the audit found every page and pageblock right, every sub-range done once, and no
     * fault failed.
     */
    boolean ok() {
        return pagesBad == 0
                && subRangesNotExactlyOnce == 0
                && pageblocksBad == 0
                && faultErrors == 0;
    }
}
