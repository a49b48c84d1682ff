package dev.zonedev.core;

import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.MemmapWork;
import dev.zonedev.api.MemmapWorker;
import dev.zonedev.api.ZoneDeviceException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The engine's side of a {@link MemmapStrategy}: the {@link MemmapWork} of one pagemap. It starts
 * the workers the strategy asks for on the {@code memmap_pages} domain, hands each a {@link
 * MemmapWorkerHandle} that goes through the initializer's shared claim machinery, records what a
 * worker throws, and counts the workers, so that teardown and the pass waits of a strategy without
 * foreground sync know when every worker has ended.
 *
 * <p>Each worker runs placed on the namespace's NUMA node ({@link MemmapInitializer#placeWorker}).
 * Counting: one token is held while {@link MemmapStrategy#start} runs and one per worker until its
 * body returns; when the count reaches zero the work has ended for good and no further worker can
 * be started. Thread-safe.
 */
final class MemmapWorkers implements MemmapWork {
    private final MemmapInitializer initializer;
    private final MemmapGeometry geometry;
    private final long pgmapId;
    private final FailureLog failures;
    private final AtomicInteger running = new AtomicInteger(1);
    private final AtomicInteger started = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile AsyncDomain domain;

    MemmapWorkers(
            MemmapInitializer initializer,
            MemmapGeometry geometry,
            long pgmapId,
            FailureLog failures) {
        this.initializer = initializer;
        this.geometry = geometry;
        this.pgmapId = pgmapId;
        this.failures = failures;
    }

    /**
     * Lets {@code strategy} start its workers on {@code domain}; call once. What the strategy
     * throws is kept as the pagemap's failure and logged, not thrown: the units it left are
     * initialized by a foreground sync.
     */
    void start(MemmapStrategy strategy, AsyncDomain domain) {
        this.domain = domain;
        try {
            strategy.start(this);
        } catch (RuntimeException | Error e) {
            initializer.keepFailure(e);
            failures.record("memmap strategy " + strategy.name() + " of pgmap " + pgmapId, e);
        } finally {
            release();
        }
    }

    @Override
    public int units() {
        return geometry.nrSubRanges();
    }

    @Override
    public long unitPages() {
        return geometry.subRangePages();
    }

    @Override
    public long sectionPages() {
        return 1L << geometry.sectionPfnShift();
    }

    @Override
    public long pages() {
        return geometry.endPfn() - geometry.initStartPfn();
    }

    @Override
    public long firstPfn() {
        return geometry.initStartPfn();
    }

    @Override
    public int workersRequested() {
        return geometry.workers();
    }

    @Override
    public boolean stopping() {
        return initializer.stopping();
    }

    @Override
    public boolean startWorker(Consumer<MemmapWorker> body) {
        ZoneDeviceException.requirePresent(body, "body");
        if (initializer.stopping() || !enter()) {
            return false;
        }
        int index = started.getAndIncrement();
        if (index >= EngineConfig.MAX_WORKERS) {
            release();
            throw ZoneDeviceException.invalid(
                    "pgmap "
                            + pgmapId
                            + " has started "
                            + EngineConfig.MAX_WORKERS
                            + " memmap workers; accepted: at most "
                            + EngineConfig.MAX_WORKERS);
        }
        try {
            domain.schedule(
                    "memmap worker " + index + " of pgmap " + pgmapId, () -> run(index, body));
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        return true;
    }

    /** Counts one more worker, unless the work has ended for good. */
    private boolean enter() {
        while (true) {
            int r = running.get();
            if (r == 0) {
                return false;
            }
            if (running.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    private void release() {
        if (running.decrementAndGet() == 0) {
            ended.countDown();
        }
    }

    private void run(int index, Consumer<MemmapWorker> body) {
        MemmapWorkerHandle worker =
                new MemmapWorkerHandle(initializer, (short) index, Thread.currentThread());
        try (NumaPlacement placed = initializer.placeWorker()) {
            initializer.recordPlacement(placed);
            body.accept(worker);
            worker.retrySkipped();
        } catch (RuntimeException | Error e) {
            initializer.keepFailure(e);
            failures.record("memmap worker " + index + " of pgmap " + pgmapId, e);
        } finally {
            worker.end();
            release();
        }
    }

    /** True once the strategy's start and every worker have ended. */
    boolean ended() {
        return ended.getCount() == 0;
    }

    /**
     * Waits until every worker has ended; false when the timeout passed first. Returns true at once
     * when they have, even in an interrupted thread.
     */
    boolean await(Duration timeout) throws InterruptedException {
        return ended() || ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits until every worker has ended. */
    void await() throws InterruptedException {
        ended.await();
    }

    /** Workers started so far. */
    int started() {
        return started.get();
    }
}
