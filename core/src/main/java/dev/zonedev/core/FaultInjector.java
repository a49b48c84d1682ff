package dev.zonedev.core;

import dev.zonedev.api.ZoneDeviceException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a chosen vmemmap allocation fail, for tests and scenarios. Arm a level with {@link
 * #failAt}; the {@code skip + 1}-th allocation at that level after arming throws out-of-memory,
 * once. Thread-safe; unarmed checks cost one volatile read.
 */
public final class FaultInjector {
    private static final int DISARMED = -1;
    private final AtomicIntegerArray countdown =
            new AtomicIntegerArray(VmemmapLevel.values().length);
    private final AtomicLong injected = new AtomicLong();
    private final AtomicInteger workerCountdown = new AtomicInteger(DISARMED);

    FaultInjector() {
        for (int i = 0; i < countdown.length(); i++) {
            countdown.set(i, DISARMED);
        }
    }

    /** Fails the allocation at {@code level} after letting {@code skip} succeed. */
    public void failAt(VmemmapLevel level, int skip) {
        if (skip < 0) {
            throw ZoneDeviceException.invalid("skip " + skip + " is negative; accepted: 0 or more");
        }
        countdown.set(level.ordinal(), skip);
    }

    /**
     * Makes a background worker throw while initializing a sub-range, after letting {@code skip}
     * sub-ranges of any worker succeed; once.
     */
    public void failWorkerAt(int skip) {
        if (skip < 0) {
            throw ZoneDeviceException.invalid("skip " + skip + " is negative; accepted: 0 or more");
        }
        workerCountdown.set(skip);
    }

    /** Disarms every level and the worker fault. */
    public void reset() {
        for (int i = 0; i < countdown.length(); i++) {
            countdown.set(i, DISARMED);
        }
        workerCountdown.set(DISARMED);
    }

    /**
     * True while a worker fault is armed (one volatile read; lets the caller skip building a
     * message).
     */
    boolean workerFaultArmed() {
        return workerCountdown.get() != DISARMED;
    }

    /** Called by a background worker before a sub-range; throws when armed to fail now. */
    void checkWorker(String what) {
        while (true) {
            int left = workerCountdown.get();
            if (left == DISARMED) {
                return;
            }
            if (workerCountdown.compareAndSet(left, left == 0 ? DISARMED : left - 1)) {
                if (left == 0) {
                    injected.incrementAndGet();
                    throw new IllegalStateException("injected worker failure initializing " + what);
                }
                return;
            }
        }
    }

    /** Allocation failures injected so far. */
    public long injected() {
        return injected.get();
    }

    /** Called before each allocation at {@code level}; throws when armed to fail now. */
    void check(VmemmapLevel level, String what) {
        int i = level.ordinal();
        while (true) {
            int left = countdown.get(i);
            if (left == DISARMED) {
                return;
            }
            if (countdown.compareAndSet(i, left, left == 0 ? DISARMED : left - 1)) {
                if (left == 0) {
                    injected.incrementAndGet();
                    throw ZoneDeviceException.outOfMemory(
                            "injected allocation failure at the " + level + " level: " + what);
                }
                return;
            }
        }
    }
}
