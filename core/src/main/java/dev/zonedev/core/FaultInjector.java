package dev.zonedev.core;

import dev.zonedev.api.ZoneDeviceException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes a chosen vmemmap allocation fail, for tests and scenarios. Arm a level with
 * {@link #failAt}; the {@code skip + 1}-th allocation at that level after arming throws
 * out-of-memory, once. Thread-safe; unarmed checks cost one volatile read.
 */
public final class FaultInjector {
    private static final int DISARMED = -1;
    private final AtomicIntegerArray countdown = new AtomicIntegerArray(VmemmapLevel.values().length);
    private final AtomicLong injected = new AtomicLong();

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

    /** Disarms every level. */
    public void reset() {
        for (int i = 0; i < countdown.length(); i++) {
            countdown.set(i, DISARMED);
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
                    throw ZoneDeviceException.outOfMemory("injected allocation failure at the "
                            + level + " level: " + what);
                }
                return;
            }
        }
    }
}
