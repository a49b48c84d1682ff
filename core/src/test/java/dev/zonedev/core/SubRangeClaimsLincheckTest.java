package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the claim / wait / publish protocol that {@link MemmapInitializer} runs its
 * sub-ranges through ({@link SubRangeClaims}): Lincheck explores the interleavings of a worker and
 * foreground callers on one sub-range whose first populations run out of memory, and fails on any
 * hang (a lost wakeup: invariant 10), any double initialization (invariant 2) and any caller that
 * returns before the sub-range is done (invariant 1).
 */
class SubRangeClaimsLincheckTest {
    private static final int INVOCATIONS = 1_000;

    /**
     * The smallest schedule space that holds defect 3: one worker whose population fails, one
     * caller.
     */
    @Test
    void aCallerIsWokenWhenTheWorkerGivesItsClaimBack() {
        runConcurrently(1, 1);
    }

    /**
     * Two callers and two failed populations: no hang, no double initialization, no early return.
     */
    @Test
    void noCallerHangsAndTheSubRangeIsInitializedOnceWhateverTheClaimantsDo() {
        runConcurrently(2, 2);
    }

    private static void runConcurrently(int callers, int failedPopulations) {
        Lincheck.runConcurrentTest(
                INVOCATIONS,
                () -> {
                    SubRangeClaims claims = new SubRangeClaims(1);
                    AtomicInteger populationsLeftToFail =
                            new AtomicInteger(failedPopulations); // the altmap runs out
                    AtomicInteger initialized = new AtomicInteger();
                    IntConsumer initialize =
                            i -> {
                                if (populationsLeftToFail.getAndDecrement() > 0) {
                                    claims.giveBack(i);
                                    throw ZoneDeviceException.outOfMemory("altmap exhausted");
                                }
                                initialized.incrementAndGet();
                                claims.publish(i);
                            };
                    Runnable worker =
                            () -> {
                                try {
                                    if (claims.tryClaim(0)) {
                                        initialize.accept(0);
                                    }
                                } catch (ZoneDeviceException e) {
                                    expectOutOfMemory(
                                            e); // a worker gives the sub-range back and goes on
                                }
                            };
                    Runnable caller =
                            () -> {
                                try {
                                    check(
                                            claims.awaitDone(0, initialize),
                                            "a caller saw the sub-range failed");
                                    check(
                                            claims.state(0) == SubRangeClaims.DONE,
                                            "a caller returned before the sub-range was done");
                                } catch (ZoneDeviceException e) {
                                    expectOutOfMemory(
                                            e); // the caller whose own population failed is told so
                                }
                            };
                    Thread[] threads = new Thread[1 + callers];
                    threads[0] = new Thread(worker);
                    for (int c = 1; c <= callers; c++) {
                        threads[c] = new Thread(caller);
                    }
                    for (Thread t : threads) {
                        t.start();
                    }
                    for (Thread t : threads) {
                        join(t);
                    }
                    check(
                            initialized.get() <= 1,
                            "the sub-range was initialized " + initialized.get() + " times");
                });
    }

    static void expectOutOfMemory(ZoneDeviceException e) {
        if (e.code() != ErrorCode.OUT_OF_MEMORY) {
            throw e;
        }
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
