package dev.zonedev.core;

import static dev.zonedev.core.SubRangeClaimsLincheckTest.check;
import static dev.zonedev.core.SubRangeClaimsLincheckTest.join;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the section registry with four populate locks, so that spans wrap around them:
 * Lincheck explores the interleavings of a premap over every lock, a premap whose sections wrap
 * from the last lock to the first (in section order these two would take locks 3 and 0 in opposite
 * orders), a population holding one section's lock, and two overlapping reserves. It fails on any
 * deadlock or hang, on both reserves succeeding (or neither), and on a lock left held.
 */
class SectionRegistryLincheckTest {
    private static final int INVOCATIONS = 500;
    private static final long MIB = 1L << 20;

    @Test
    void spansTakeLocksInLockOrderAndOverlappingReservesExcludeEachOther() {
        Lincheck.runConcurrentTest(
                INVOCATIONS,
                () -> {
                    SectionRegistry r = new SectionRegistry(128 * MIB, 1L << 40, 4);
                    AtomicInteger reserved = new AtomicInteger();
                    Thread[] threads = {
                        new Thread(() -> premap(r, 0, 4, reserved, 0)),
                        new Thread(() -> premap(r, 3, 5, reserved, 64 * MIB)),
                        new Thread(() -> populate(r, 1))
                    };
                    for (Thread t : threads) {
                        t.start();
                    }
                    for (Thread t : threads) {
                        join(t);
                    }
                    check(reserved.get() == 1, "overlapping reserves succeeded " + reserved.get());
                    check(!r.anyPopulateLockHeld(), "a populate lock is still held");
                });
    }

    /** Locks sections {@code [first, end)} like a premap and reserves 128 MiB at {@code start}. */
    private static void premap(
            SectionRegistry r, long first, long end, AtomicInteger reserved, long start) {
        r.lockSections(first, end);
        try {
            r.reserve(new PhysicalRange(start, 128 * MIB), true);
            reserved.incrementAndGet();
        } catch (ZoneDeviceException e) {
            check(e.code() == ErrorCode.EXISTS, "refused with " + e.code());
        } finally {
            r.unlockSections(first, end);
        }
    }

    private static void populate(SectionRegistry r, long nr) {
        ReentrantLock lock = r.populateLock(nr);
        lock.lock();
        try {
            check(r.populateLock(nr).isHeldByCurrentThread(), "the section's lock");
        } finally {
            lock.unlock();
        }
    }
}
