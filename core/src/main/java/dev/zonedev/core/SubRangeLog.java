package dev.zonedev.core;

/**
 * The exactly-once record of a pagemap's initialization, one entry per sub-range.
 *
 * @param subRangePages pages per sub-range (the first and the last may be shorter)
 * @param endPfn one past the last pfn
 * @param firstPfn first pfn of each sub-range
 * @param initCount times each sub-range was initialized (1 when correct)
 * @param initializedBy worker index, or {@link MemmapInitializer#FOREGROUND}
 * @param startNanos when each was claimed, in nanoseconds after the pagemap was created, -1 if not
 *     done
 * @param doneNanos when each was done, in nanoseconds after the pagemap was created, -1 if not
 */
public record SubRangeLog(
        long subRangePages,
        long endPfn,
        long[] firstPfn,
        int[] initCount,
        short[] initializedBy,
        long[] startNanos,
        long[] doneNanos) {

    /** Number of sub-ranges. */
    public int size() {
        return firstPfn.length;
    }

    /** Pages in sub-range {@code i}. */
    public long pages(int i) {
        long next = i + 1 < firstPfn.length ? firstPfn[i + 1] : endPfn;
        return Math.min(next, endPfn) - firstPfn[i];
    }

    /** Sub-ranges not initialized exactly once. */
    public int notExactlyOnce() {
        int bad = 0;
        for (int c : initCount) {
            bad += c == 1 ? 0 : 1;
        }
        return bad;
    }

    /** True when sub-range {@code i} was initialized in the foreground. */
    public boolean foreground(int i) {
        return initializedBy[i] == MemmapInitializer.FOREGROUND;
    }
}
