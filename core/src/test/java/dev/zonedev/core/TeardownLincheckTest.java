package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * Model-checks {@link PgmapRef} with the {@link Teardown} state machine: a user takes a reference
 * and touches the memmap while two threads tear the pagemap down, each giving up at once when a
 * reference is still held (a timeout) and the second resuming what the first left. Lincheck
 * explores the interleavings and fails if the memmap is unmapped under a reference holder, a
 * reference is put twice (the count goes negative), or the range is released before it is unmapped
 * (invariants 7 and 9).
 */
class TeardownLincheckTest {
    private static final int INVOCATIONS = 1_000;

    @Test
    void aRetriedTeardownNeverUnmapsUnderAReferenceHolderNorPutsAReferenceTwice() {
        Lincheck.runConcurrentTest(
                INVOCATIONS,
                () -> {
                    PgmapRef ref = new PgmapRef();
                    ref.tryGet(); // the pages' reference, as DevicePagemap takes it
                    AtomicBoolean mapped = new AtomicBoolean(true);
                    AtomicInteger removals = new AtomicInteger();
                    Teardown teardown =
                            new Teardown(
                                    "pgmap under test",
                                    ref,
                                    new Teardown.Steps() {
                                        @Override
                                        public void stopWorkers() {}

                                        @Override
                                        public void awaitWorkers(Duration timeout) {}

                                        @Override
                                        public void unmapAndRelease(Duration timeout) {
                                            mapped.set(false);
                                            removals.incrementAndGet();
                                        }
                                    });
                    Thread user =
                            new Thread(
                                    () -> {
                                        if (ref.tryGet()) {
                                            SubRangeClaimsLincheckTest.check(
                                                    mapped.get(),
                                                    "the memmap was unmapped under a reference holder");
                                            ref.put();
                                        }
                                    });
                    Runnable closer =
                            () -> {
                                try {
                                    teardown.run(Duration.ZERO);
                                } catch (ZoneDeviceException e) {
                                    if (e.code() != ErrorCode.BUSY) {
                                        throw e;
                                    }
                                }
                            };
                    Thread[] threads = {user, new Thread(closer), new Thread(closer)};
                    for (Thread t : threads) {
                        t.start();
                    }
                    for (Thread t : threads) {
                        SubRangeClaimsLincheckTest.join(t);
                    }
                    teardown.run(Duration.ZERO); // every user is gone: this completes what is left
                    SubRangeClaimsLincheckTest.check(
                            ref.count() == 0, "references left: " + ref.count());
                    SubRangeClaimsLincheckTest.check(
                            removals.get() == 1, "removed " + removals.get() + " times");
                    SubRangeClaimsLincheckTest.check(
                            teardown.next() == Teardown.Phase.DONE, "teardown not done");
                });
    }
}
