package dev.zonedev.core;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Named points in the engine where a test runs its own code in the thread that reaches them, to
 * force an interleaving deterministically instead of hoping for it. Every point sits on a
 * per-sub-range, per-section or per-teardown path, never in the per-page loop; unarmed, reaching it
 * costs one volatile read. Thread-safe. Tests only: production code never arms a point.
 */
final class TestHooks {
    /** The points; each names the moment at which it is reached. */
    enum Point {
        /** A thread saw a sub-range free and is about to claim it with a compare-and-set. */
        CLAIMING,
        /** A waiter lost the claim of a free sub-range to another thread. */
        CLAIM_LOST,
        /** A claimant could not populate its sub-range's memmap and gave the claim back. */
        GAVE_BACK,
        /** A caller took a pgmap reference and is about to use the pagemap. */
        REFERENCE_HELD,
        /** Teardown is about to wait (for workers, references or background population). */
        TEARDOWN_WAIT,
        /** Removing a range: its memmap is about to be unmapped. */
        BEFORE_UNMAP,
        /** A section's populate lock is held. */
        SECTION_LOCKED,
        /** An altmap allocator's lock is held. */
        ALTMAP_LOCKED
    }

    private static final AtomicReferenceArray<Runnable> ARMED =
            new AtomicReferenceArray<>(Point.values().length);

    private TestHooks() {}

    /** Runs the code armed at {@code point}, if any, in the calling thread. */
    static void reach(Point point) {
        Runnable hook = ARMED.get(point.ordinal());
        if (hook != null) {
            hook.run();
        }
    }

    /** Arms {@code point} with {@code hook} (null disarms it). */
    static void arm(Point point, Runnable hook) {
        ARMED.set(point.ordinal(), hook);
    }

    /** Disarms every point. */
    static void disarmAll() {
        for (Point p : Point.values()) {
            ARMED.set(p.ordinal(), null);
        }
    }
}
