package dev.zonedev.core;

import dev.zonedev.api.ZoneDeviceException;

/**
 * How a pagemap's pages are cut for initialization: pfns {@code [initStartPfn, endPfn)} in {@code
 * nrSubRanges} sub-ranges of {@code subRangePages} (the last may be shorter), spread over {@code
 * workers} slices. Sub-ranges are no larger than a section, so a one-page request never initializes
 * more than a section's worth, however large the device.
 *
 * @param initStartPfn first pfn initialized (after the altmap reserve)
 * @param deviceStartPfn first device page (after the altmap's reserve and free)
 * @param endPfn one past the last pfn
 * @param subRangePages pages per sub-range
 * @param nrSubRanges number of sub-ranges
 * @param workers background workers requested
 * @param sectionPfnShift log2 of the pages per section
 */
record MemmapGeometry(
        long initStartPfn,
        long deviceStartPfn,
        long endPfn,
        long subRangePages,
        int nrSubRanges,
        int workers,
        int sectionPfnShift) {

    /**
     * Cuts {@code [initStartPfn, endPfn)} for {@code workers} workers with at least {@code
     * rangesPerWorker} sub-ranges each (fewer only when there are fewer pages).
     */
    static MemmapGeometry of(
            long initStartPfn,
            long deviceStartPfn,
            long endPfn,
            int workers,
            int rangesPerWorker,
            int sectionPfnShift) {
        if (workers < 1 || rangesPerWorker < 1) {
            throw ZoneDeviceException.invalid(
                    "workers "
                            + workers
                            + " and ranges per worker "
                            + rangesPerWorker
                            + " must both be 1 or more");
        }
        long pages = endPfn - initStartPfn;
        long wanted = (long) workers * rangesPerWorker;
        long perRange = Math.max(1, Math.min(1L << sectionPfnShift, (pages + wanted - 1) / wanted));
        long count = (pages + perRange - 1) / perRange;
        if (count > Integer.MAX_VALUE) {
            throw ZoneDeviceException.invalid(
                    count + " sub-ranges are too many; accepted: at most " + Integer.MAX_VALUE);
        }
        return new MemmapGeometry(
                initStartPfn,
                deviceStartPfn,
                endPfn,
                perRange,
                (int) count,
                workers,
                sectionPfnShift);
    }
}
