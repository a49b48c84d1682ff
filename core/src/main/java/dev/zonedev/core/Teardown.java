package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A pagemap's teardown as a one-shot state machine (invariants 7 and 9 of DESIGN.md): the {@link
 * Phase phases} run in order and each completes at most once. A phase that stops (a wait
 * interrupted or timed out) is the one the next {@link #run} starts with, so a retried teardown
 * resumes where it stopped: the owner's and the pages' references are put exactly once each, and
 * the range's sections are released only after its memmap was unmapped, which is only after every
 * reference came back.
 *
 * <p>An interrupt that was pending when {@link #run} began does not stop it: the flag is cleared
 * for the run and set again when it returns or throws, so teardown completes from an interrupted
 * thread. An interrupt that arrives while it waits stops it at that phase. Thread-safe: runs are
 * serialized.
 */
final class Teardown {
    /** The phases, in order. */
    enum Phase {
        /** Refuse new references, put the owner's, ask the workers to stop. */
        KILL,
        /** Wait for the workers to end. */
        AWAIT_WORKERS,
        /** Put the single reference held by the pages of the whole range. */
        DROP_PAGES_REFERENCE,
        /** Wait for every user's reference to come back. */
        AWAIT_REFERENCES,
        /** Stop the background population, unmap the memmap, then release the sections. */
        UNMAP_AND_RELEASE,
        /** Nothing left. */
        DONE
    }

    /** What teardown does to the rest of the pagemap; a step that threw may be called again. */
    interface Steps {
        /** Asks the workers to stop after their current sub-range; idempotent. */
        void stopWorkers();

        /** Waits for the workers to end; throws BUSY on timeout, INTERRUPTED when interrupted. */
        void awaitWorkers(Duration timeout);

        /**
         * Unmaps the memmap and releases the range, then forgets the pagemap; idempotent until it
         * returns.
         */
        void unmapAndRelease(Duration timeout);
    }

    private final String what;
    private final PgmapRef ref;
    private final Steps steps;
    private volatile Phase next = Phase.KILL;
    private volatile boolean running;

    /** The teardown of {@code what} (named in errors), over its reference count and steps. */
    Teardown(String what, PgmapRef ref, Steps steps) {
        this.what = what;
        this.ref = ref;
        this.steps = steps;
    }

    /**
     * Runs the phases left, each wait bounded by {@code timeout}; a no-op once done.
     *
     * @throws ZoneDeviceException {@link ErrorCode#BUSY} when a wait timed out, {@link
     *     ErrorCode#INTERRUPTED} when interrupted while waiting, or what a step threw; the message
     *     names the phases left, and the next call resumes with the first of them
     */
    synchronized void run(Duration timeout) {
        boolean interrupted = Thread.interrupted();
        running = true;
        try {
            while (next != Phase.DONE) {
                step(next, timeout);
                next = Phase.values()[next.ordinal() + 1];
            }
        } catch (ZoneDeviceException e) {
            throw new ZoneDeviceException(
                    e.code(),
                    "teardown of "
                            + what
                            + " stopped; phases left: "
                            + left()
                            + " (call close again to resume): "
                            + e.getMessage().substring(e.code().errno().length() + 2),
                    e);
        } finally {
            running = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void step(Phase phase, Duration timeout) {
        switch (phase) {
            case KILL -> {
                ref.kill();
                steps.stopWorkers();
            }
            case AWAIT_WORKERS -> {
                TestHooks.reach(TestHooks.Point.TEARDOWN_WAIT);
                steps.awaitWorkers(timeout);
            }
            case DROP_PAGES_REFERENCE -> ref.put();
            case AWAIT_REFERENCES -> {
                TestHooks.reach(TestHooks.Point.TEARDOWN_WAIT);
                ref.awaitZero(timeout);
            }
            case UNMAP_AND_RELEASE -> steps.unmapAndRelease(timeout);
            case DONE -> {}
        }
    }

    /** The next phase to run ({@link Phase#DONE} once finished). */
    Phase next() {
        return next;
    }

    /** True when a run began and stopped before the end, and no run is under way now. */
    boolean stopped() {
        Phase n = next;
        return !running && n != Phase.KILL && n != Phase.DONE;
    }

    /** The phases not completed yet, in order. */
    synchronized List<Phase> left() {
        return Arrays.asList(Phase.values()).subList(next.ordinal(), Phase.DONE.ordinal());
    }
}
