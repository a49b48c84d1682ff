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
 * @param ranOnNode the NUMA node each was initialized on: the namespace's node for a worker's
 *     (where the engine placed it), the node of the caller's CPU for a foreground one (-1 when
 *     unknown); 0 when not done
 * @param nid the namespace's node, where the workers were placed
 * @param workersBound true when the workers were bound to {@code nid}'s CPUs ({@code
 *     sched_setaffinity}, a real multi-node host), false when the placement was only recorded
 */
public record SubRangeLog(
        long subRangePages,
        long endPfn,
        long[] firstPfn,
        int[] initCount,
        short[] initializedBy,
        long[] startNanos,
        long[] doneNanos,
        short[] ranOnNode,
        int nid,
        boolean workersBound) {

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

    /** Sub-ranges initialized on each node, by node id (-1: a node not known). */
    public java.util.SortedMap<Integer, Integer> subRangesByNode() {
        java.util.SortedMap<Integer, Integer> by = new java.util.TreeMap<>();
        for (int i = 0; i < ranOnNode.length; i++) {
            if (initCount[i] > 0) {
                by.merge((int) ranOnNode[i], 1, Integer::sum);
            }
        }
        return by;
    }

    /** True when sub-range {@code i} was initialized in the foreground. */
    public boolean foreground(int i) {
        return initializedBy[i] == MemmapInitializer.FOREGROUND;
    }
}
