package dev.zonedev.api;

import java.util.function.Consumer;

/**
 * One pagemap's memmap work, as the engine hands it to a {@link MemmapStrategy}: {@link #units()}
 * units of consecutive struct pages, numbered from 0 in pfn order, each at most a section ({@code
 * unitPages()} pages, the last one possibly fewer), and the means to run them on the engine's
 * asynchronous domain. Implemented by the engine; thread-safe.
 */
public interface MemmapWork {
    /** Number of units, at least 1. */
    int units();

    /**
     * Pages per unit (the first and the last unit may hold fewer, where the engine aligns its cut);
     * at most {@link #sectionPages()}.
     */
    long unitPages();

    /** Pages per memory section of the engine's arch: a power of two. */
    long sectionPages();

    /** Pages of all units together. */
    long pages();

    /** First pfn of unit 0. */
    long firstPfn();

    /** The background workers the user asked for per pagemap ({@code --workers}), at least 1. */
    int workersRequested();

    /**
     * Runs {@code body} on a new background worker of the engine's {@code memmap_pages} domain,
     * with the next worker index (0, 1, ... in the order of the calls). Callable from {@link
     * MemmapStrategy#start} and from a worker's body. The engine counts the worker until its body
     * returns: teardown waits for it, and a strategy without foreground sync releases waiting pfn
     * requests only once every worker has ended. Whatever the body throws is recorded as the
     * pagemap's failure.
     *
     * @return false, and {@code body} is not run, when the pagemap is stopping or every worker
     *     started so far has already ended after {@link MemmapStrategy#start} returned
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} when 1024 workers were started already
     */
    boolean startWorker(Consumer<MemmapWorker> body);

    /** True once teardown asked this pagemap's workers to stop; they should return soon. */
    boolean stopping();
}
