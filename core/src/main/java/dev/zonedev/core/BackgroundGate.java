package dev.zonedev.core;

import java.util.function.BooleanSupplier;

/**
 * Holds background memmap work back, for tests and scenarios that must show what a consumer sees
 * before the background gets anywhere. While held, workers and background population wait before
 * their next sub-range or section; foreground callers are not affected, except that a pfn request
 * under a strategy without foreground sync, which would wait for the held pass, fails at once with
 * {@code EBUSY} instead. Open by default. Thread-safe; an open gate costs one volatile read per
 * sub-range.
 */
public final class BackgroundGate {
    private volatile boolean held;
    private volatile int heldWorker = -1;
    private volatile int slowWorker = -1;
    private volatile long slowNanos;

    /** Holds background work from its next step on. */
    public void hold() {
        held = true;
    }

    /** Lets background work go on, a worker held by {@link #holdWorker} too. */
    public synchronized void release() {
        held = false;
        heldWorker = -1;
        notifyAll();
    }

    public boolean held() {
        return held;
    }

    /**
     * Holds memmap worker {@code index} of every pagemap (the index a strategy's worker gets, from
     * 0) before its next unit, while the other workers go on: a slow worker, made deterministic.
     * One worker index at a time; {@link #releaseWorker()} lets it go. Unlike {@link #hold()}, a
     * pfn request that waits for a pass this holds back waits until then: for tests that must see
     * such a wait.
     */
    public void holdWorker(int index) {
        heldWorker = index;
    }

    /**
     * Makes memmap worker {@code index} of every pagemap slow: it pauses {@code perUnit} before
     * each unit (a worker whose core is busy with something else), for benchmarks that compare how
     * strategies cope. One worker index at a time; a zero {@code perUnit} ends it.
     */
    public void slowWorker(int index, java.time.Duration perUnit) {
        slowNanos = perUnit.toNanos();
        slowWorker = perUnit.isZero() ? -1 : index;
    }

    /** Lets the worker held by {@link #holdWorker} go on. */
    public synchronized void releaseWorker() {
        heldWorker = -1;
        notifyAll();
    }

    /** Wakes waiting background work so it can notice that it was told to stop. */
    synchronized void wake() {
        notifyAll();
    }

    /**
     * Called by background work before each step: waits while the gate is held and the work was not
     * told to stop (whoever tells it to stop calls {@link #wake()}).
     */
    void pass(BooleanSupplier stopping) {
        pass(-1, stopping);
    }

    /**
     * As {@link #pass(BooleanSupplier)} for memmap worker {@code worker} (-1: not a worker), which
     * also waits while {@link #holdWorker} holds its index.
     */
    void pass(int worker, BooleanSupplier stopping) {
        if (worker >= 0 && worker == slowWorker && !stopping.getAsBoolean()) {
            java.util.concurrent.locks.LockSupport.parkNanos(slowNanos);
        }
        if (!held && (worker < 0 || heldWorker != worker)) {
            return;
        }
        synchronized (this) {
            while ((held || (worker >= 0 && heldWorker == worker)) && !stopping.getAsBoolean()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    throw Interrupts.interrupted("interrupted while background work was held", e);
                }
            }
        }
    }
}
