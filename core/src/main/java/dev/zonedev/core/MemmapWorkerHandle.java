package dev.zonedev.core;

import dev.zonedev.api.MemmapWorker;
import dev.zonedev.api.ZoneDeviceException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link MemmapWorker} the engine hands one worker body: confined to the body's thread and
 * valid while the body runs, so a strategy cannot reach the memmap from a thread teardown does not
 * wait for. Units whose memmap could not be populated for lack of memory are kept and retried once
 * after the body returns, so a transient allocation failure costs one retry instead of the rest of
 * the worker's share.
 */
final class MemmapWorkerHandle implements MemmapWorker {
    private final MemmapInitializer initializer;
    private final short index;
    private final Thread owner;
    private final List<Integer> skipped = new ArrayList<>();
    private volatile boolean ended;

    MemmapWorkerHandle(MemmapInitializer initializer, short index, Thread owner) {
        this.initializer = initializer;
        this.index = index;
        this.owner = owner;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public boolean claimAndInitialize(int unit) {
        checkUsable();
        int outcome = initializer.workerClaim(unit, index);
        if (outcome == MemmapInitializer.GAVE_BACK) {
            skipped.add(unit);
        }
        return outcome == MemmapInitializer.INITIALIZED;
    }

    @Override
    public boolean stopping() {
        return initializer.stopping();
    }

    /** Tries once more every unit given back for lack of memory; a second failure is thrown. */
    void retrySkipped() {
        for (int unit : skipped) {
            initializer.workerRetry(unit, index);
        }
    }

    /** The body returned: the handle is no longer usable. */
    void end() {
        ended = true;
    }

    private void checkUsable() {
        if (ended || Thread.currentThread() != owner) {
            throw new IllegalStateException(
                    "memmap worker "
                            + index
                            + " used "
                            + (ended ? "after its body returned" : "from another thread")
                            + "; accepted: calls from its own body's thread while the body runs");
        }
    }

    /** A unit outside the pagemap, named with the accepted range. */
    static ZoneDeviceException badUnit(int unit, int units) {
        return ZoneDeviceException.invalid(
                "unit " + unit + " is not a unit of this pagemap; accepted: 0 to " + (units - 1));
    }
}
