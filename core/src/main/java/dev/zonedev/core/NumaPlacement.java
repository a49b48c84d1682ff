package dev.zonedev.core;

import dev.zonedev.api.ZoneDeviceException;

/**
 * One thread's placement on a NUMA node ({@link NumaTopology#placeCurrentThread}): the node it
 * works for, and whether it was really bound there ({@code sched_setaffinity}) or the decision was
 * only recorded. Closing it, on the same thread, gives the thread back the CPUs it had; a pool
 * thread must not stay bound to the node of its last task. Not thread-safe: owned by the placed
 * thread.
 *
 * @see NumaTopology
 */
public final class NumaPlacement implements AutoCloseable {
    private final int node;
    private final long[] previous;

    NumaPlacement(int node, long[] previous) {
        this.node = node;
        this.previous = previous;
    }

    /** The node the thread works for. */
    public int node() {
        return node;
    }

    /** True when the thread was bound to the node's CPUs; false when the decision was recorded. */
    public boolean bound() {
        return previous != null;
    }

    /** Restores the thread's previous CPUs when it was bound; never throws. */
    @Override
    public void close() {
        if (previous != null) {
            try {
                Native.schedSetaffinity(previous);
            } catch (ZoneDeviceException e) {
                // the CPUs it had went away meanwhile: the thread keeps the node's
            }
        }
    }
}
