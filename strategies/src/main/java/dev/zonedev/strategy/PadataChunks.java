package dev.zonedev.strategy;

import dev.zonedev.api.MemmapWork;
import dev.zonedev.api.MemmapWorker;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Linux's multithreaded chunking ({@code padata_do_multithreaded}, v5.9, as deferred struct page
 * init uses it): {@code threads = min(workers, pages / section)} (at least 1), chunks of {@code
 * max(pages / (4 × threads), one section)} rounded up to whole sections and then to whole units, so
 * that every chunk ends on a multiple of the chunk size, taken one at a time from a shared cursor
 * so that fast threads take more. Worker 0 plays the calling thread: it starts the other threads,
 * then helps. Thread-safe; one instance per pagemap.
 */
final class PadataChunks {
    /** Chunks per thread: padata's load-balance factor. */
    static final int LOAD_BALANCE_FACTOR = 4;

    private final MemmapWork work;
    private final int threads;
    private final long chunkPages;
    private final int chunkUnits;
    private final int chunks;
    private final AtomicInteger cursor = new AtomicInteger();

    PadataChunks(MemmapWork work) {
        this.work = work;
        long pages = work.pages();
        long section = work.sectionPages();
        this.threads = (int) Math.max(1, Math.min(work.workersRequested(), pages / section));
        long chunk = Math.max(pages / ((long) LOAD_BALANCE_FACTOR * threads), section);
        this.chunkPages = (chunk + section - 1) / section * section;
        this.chunkUnits =
                (int)
                        Math.min(
                                work.units(),
                                (chunkPages + work.unitPages() - 1) / work.unitPages());
        this.chunks = (work.units() + chunkUnits - 1) / chunkUnits;
    }

    /** Starts worker 0, which starts the others and then helps. */
    void start() {
        work.startWorker(
                caller -> {
                    for (int t = 1; t < threads; t++) {
                        if (!work.startWorker(this::help)) {
                            break;
                        }
                    }
                    help(caller);
                });
    }

    /** Takes chunks from the cursor until none is left. */
    void help(MemmapWorker worker) {
        for (int c = cursor.getAndIncrement();
                c < chunks && !worker.stopping();
                c = cursor.getAndIncrement()) {
            int to = (int) Math.min((long) (c + 1) * chunkUnits, work.units());
            for (int i = c * chunkUnits; i < to; i++) {
                worker.claimAndInitialize(i);
            }
        }
    }

    /** Threads the work is spread over. */
    int threads() {
        return threads;
    }

    /** Pages per chunk before rounding to whole units. */
    long chunkPages() {
        return chunkPages;
    }

    /** Number of chunks. */
    int chunks() {
        return chunks;
    }
}
