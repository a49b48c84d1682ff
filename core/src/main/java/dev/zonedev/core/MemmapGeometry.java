package dev.zonedev.core;

import dev.zonedev.api.ZoneDeviceException;

/**
 * How a pagemap's pages are cut for initialization: pfns {@code [initStartPfn, endPfn)} in {@code
 * nrSubRanges} sub-ranges of {@code subRangePages} counted from {@code originPfn} (the first and
 * the last may be shorter), spread over {@code workers} slices. Sub-ranges are no larger than a
 * section, so a one-page request never initializes more than a section's worth, however large the
 * device, except that with compound pages a sub-range is a whole number of them, aligned to their
 * size: the unit of initialization never splits a compound page.
 *
 * @param initStartPfn first pfn initialized (after the altmap reserve)
 * @param deviceStartPfn first device page (after the altmap's reserve and free)
 * @param endPfn one past the last pfn
 * @param subRangePages pages per sub-range
 * @param nrSubRanges number of sub-ranges
 * @param workers background workers requested
 * @param sectionPfnShift log2 of the pages per section
 * @param originPfn where sub-range 0 would start if it were whole: {@code initStartPfn}, or for
 *     compound pages {@code initStartPfn} aligned down to the compound size
 */
record MemmapGeometry(
        long initStartPfn,
        long deviceStartPfn,
        long endPfn,
        long subRangePages,
        int nrSubRanges,
        int workers,
        int sectionPfnShift,
        long originPfn) {

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
        return of(
                initStartPfn, deviceStartPfn, endPfn, workers, rangesPerWorker, sectionPfnShift, 0);
    }

    /**
     * As {@link #of(long, long, long, int, int, int)}, for compound pages of {@code 2^order} pages
     * (0: ordinary pages): each sub-range a multiple of the compound size, boundaries aligned to
     * it.
     */
    static MemmapGeometry of(
            long initStartPfn,
            long deviceStartPfn,
            long endPfn,
            int workers,
            int rangesPerWorker,
            int sectionPfnShift,
            int order) {
        if (workers < 1 || rangesPerWorker < 1) {
            throw ZoneDeviceException.invalid(
                    "workers "
                            + workers
                            + " and ranges per worker "
                            + rangesPerWorker
                            + " must both be 1 or more");
        }
        long compound = 1L << order;
        long origin = initStartPfn & -compound;
        long pages = endPfn - origin;
        long wanted = (long) workers * rangesPerWorker;
        long perRange = Math.max(1, Math.min(1L << sectionPfnShift, (pages + wanted - 1) / wanted));
        perRange = (perRange + compound - 1) & -compound;
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
                sectionPfnShift,
                origin);
    }

    /** First pfn of sub-range {@code i}. */
    long firstPfn(int i) {
        return Math.max(initStartPfn, originPfn + i * subRangePages);
    }

    /** One past the last pfn of sub-range {@code i}. */
    long endPfn(int i) {
        return Math.min(originPfn + (i + 1) * subRangePages, endPfn);
    }

    /** The sub-range holding {@code pfn}. */
    int index(long pfn) {
        return (int) ((pfn - originPfn) / subRangePages);
    }
}
