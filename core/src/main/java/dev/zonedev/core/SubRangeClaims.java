package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;

/**
 * The claim / wait / publish protocol of a pagemap's sub-ranges, without the memory: each sub-range
 * is {@link #FREE}, {@link #CLAIMED} by exactly one thread (one compare-and-set), then settled by
 * its claimant as {@link #DONE} ({@link #publish}), {@link #FREE} again ({@link #giveBack}, when
 * its memmap could not be populated) or {@link #FAILED} ({@link #fail}). {@link MemmapInitializer}
 * runs its sub-ranges through this class, and the Lincheck tests model-check this same class.
 *
 * <p>Invariant 10 of DESIGN.md: a thread waits only while a sub-range is {@link #CLAIMED}, and
 * every claimant settles its claim with a wakeup, so no waiter waits on a state nobody will change.
 * A claim lost to another thread is never waited on as "a change from free": the waiter reads the
 * state again (the winner may already have given it back).
 *
 * <p>Thread-safe and allocation-free; waiters block on one monitor that settling notifies only when
 * somebody waits (the waiter count is raised before the waiter's last read of the state, and read
 * after the settling write, so one of the two always sees the other).
 */
final class SubRangeClaims {
    static final int FREE = 0;
    static final int CLAIMED = 1;
    static final int DONE = 2;
    static final int FAILED = 3;

    private final AtomicIntegerArray state;
    private final AtomicInteger waiters = new AtomicInteger();
    private final Object monitor = new Object();

    /** {@code n} sub-ranges, all free. */
    SubRangeClaims(int n) {
        this.state = new AtomicIntegerArray(n);
    }

    /**
     * The state of sub-range {@code i}: {@link #FREE}, {@link #CLAIMED}, {@link #DONE} or {@link
     * #FAILED}.
     */
    int state(int i) {
        return state.get(i);
    }

    /**
     * Claims free sub-range {@code i} for the caller; false when it is not free or another thread
     * won it.
     */
    boolean tryClaim(int i) {
        if (state.get(i) != FREE) {
            return false;
        }
        TestHooks.reach(TestHooks.Point.CLAIMING);
        return state.compareAndSet(i, FREE, CLAIMED);
    }

    /** The claimant publishes sub-range {@code i} as done and wakes its waiters. */
    void publish(int i) {
        settle(i, DONE);
    }

    /**
     * The claimant gives sub-range {@code i} back (free for anyone to claim) and wakes its waiters.
     */
    void giveBack(int i) {
        settle(i, FREE);
    }

    /** The claimant marks sub-range {@code i} failed for good and wakes its waiters. */
    void fail(int i) {
        settle(i, FAILED);
    }

    private void settle(int i, int to) {
        state.set(i, to);
        if (waiters.get() > 0) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /**
     * Returns once sub-range {@code i} is settled for good: true when done, false when failed.
     * Whenever it is free the caller claims it and runs {@code initializeClaimed} on it in its own
     * thread, which must settle it (publish, give back or fail) before it returns or throws;
     * whatever that throws propagates. While another thread holds the claim, waits.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INTERRUPTED} when the thread is interrupted
     *     while waiting (the interrupt flag stays set); the sub-range is untouched then
     */
    boolean awaitDone(int i, IntConsumer initializeClaimed) {
        while (true) {
            int s = state.get(i);
            if (s == DONE) {
                return true;
            }
            if (s == FAILED) {
                return false;
            }
            if (s == FREE) {
                if (tryClaim(i)) {
                    initializeClaimed.accept(i);
                } else {
                    TestHooks.reach(TestHooks.Point.CLAIM_LOST);
                }
                continue; // read again: the winner may have settled it, even back to free
            }
            awaitChange(i, CLAIMED);
        }
    }

    /** Blocks while sub-range {@code i} is in state {@code seen}. */
    private void awaitChange(int i, int seen) {
        waiters.incrementAndGet();
        try {
            synchronized (monitor) {
                while (state.get(i) == seen) {
                    monitor.wait();
                }
            }
        } catch (InterruptedException e) {
            throw Interrupts.interrupted(
                    "interrupted waiting for sub-range "
                            + i
                            + ", which another thread is initializing",
                    e);
        } finally {
            waiters.decrementAndGet();
        }
    }
}
