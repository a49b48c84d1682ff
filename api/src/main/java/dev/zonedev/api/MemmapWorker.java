package dev.zonedev.api;

/**
 * One background worker of a pagemap, handed to the body a {@link MemmapStrategy} started with
 * {@link MemmapWork#startWorker}. Confined to that body's thread and valid only while the body
 * runs: a call from another thread, or after the body returned, throws {@link
 * IllegalStateException}.
 */
public interface MemmapWorker {
    /** This worker's index, 0 for the first started; recorded as who initialized each unit. */
    int index();

    /**
     * Claims unit {@code unit} for this worker and, when the claim succeeds, populates its memmap,
     * writes its struct pages and publishes it, in the calling thread. Waits first while the
     * engine's background gate holds this worker.
     *
     * @return true when this call initialized the unit; false when somebody else had claimed it
     *     (done, or under way), when the pagemap is stopping, or when its memmap could not be
     *     populated for lack of memory: the unit is then free again, and the engine retries it once
     *     for this worker after the body returns
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} for a unit outside {@code [0, units)};
     *     the failure of writing the pages, which also ends the worker
     */
    boolean claimAndInitialize(int unit);

    /** True once teardown asked the workers to stop. */
    boolean stopping();
}
