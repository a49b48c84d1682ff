package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pagemap's reference count ({@code percpu_ref}): starts at one (the owner's), every user in
 * flight holds one more, and the pages of the whole range hold a single one. After {@link #kill()}
 * no new reference is handed out; the count falls to zero as holders put theirs back. Each
 * reference must be put exactly once: {@link Teardown} puts the owner's (through {@code kill}) and
 * the pages' one once each, however often it is retried. Thread-safe.
 */
final class PgmapRef {
    private final AtomicLong count = new AtomicLong(1);
    private final CountDownLatch zero = new CountDownLatch(1);
    private volatile boolean killed;

    /** Takes a reference unless killed; returns false when killed. */
    boolean tryGet() {
        if (killed) {
            return false;
        }
        count.incrementAndGet();
        if (killed) {
            put();
            return false;
        }
        return true;
    }

    /**
     * Returns a reference.
     *
     * @throws IllegalStateException when more references were put than taken
     */
    void put() {
        long left = count.decrementAndGet();
        if (left == 0) {
            zero.countDown();
        } else if (left < 0) {
            throw new IllegalStateException("pgmap reference count went negative");
        }
    }

    /** Refuses new references and drops the owner's; idempotent. */
    synchronized void kill() {
        if (!killed) {
            killed = true;
            put();
        }
    }

    /** True once {@link #kill()} was called. */
    boolean killed() {
        return killed;
    }

    /**
     * Waits until every reference was returned; returns at once when they were, even in an
     * interrupted thread.
     *
     * @throws ZoneDeviceException {@link ErrorCode#BUSY} naming the references left when the
     *     timeout passed, {@link ErrorCode#INTERRUPTED} when interrupted while waiting (the flag
     *     stays set)
     */
    void awaitZero(Duration timeout) {
        try {
            if (zero.getCount() != 0 && !zero.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw ZoneDeviceException.busy(
                        count.get() + " pgmap reference(s) still held after " + timeout);
            }
        } catch (InterruptedException e) {
            throw Interrupts.interrupted(
                    "interrupted waiting for " + count.get() + " pgmap reference(s)", e);
        }
    }

    /** The current count (0 once every reference was returned). */
    long count() {
        return count.get();
    }
}
