package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The claim / wait / publish protocol under the interleavings of defects 3 and 5 of issue 9, forced
 * with {@link TestHooks}. The Lincheck tests explore every interleaving of the protocol; these pin
 * the two that went wrong.
 */
class ClaimProtocolTest {
    private static final long GIB = 1L << 30;
    private Engine engine;

    @AfterEach
    void close() {
        TestHooks.disarmAll();
        if (engine != null) {
            engine.close();
        }
    }

    /**
     * Defect 3: a waiter that read "free", lost the claim, and then saw the winner give the
     * sub-range back used to wait for a change from "free" that never came.
     */
    @Test
    void aWaiterThatLostTheClaimToAClaimantWhoGaveItBackDoesNotHang() throws Exception {
        SubRangeClaims claims = new SubRangeClaims(1);
        CountDownLatch sawFree = new CountDownLatch(1);
        CountDownLatch claimedByOther = new CountDownLatch(1);
        CountDownLatch lost = new CountDownLatch(1);
        CountDownLatch gaveBack = new CountDownLatch(1);
        FutureTask<Boolean> waiter = new FutureTask<>(() -> claims.awaitDone(0, claims::publish));
        Thread t = Thread.ofPlatform().daemon().unstarted(waiter);
        TestHooks.arm(
                TestHooks.Point.CLAIMING,
                () -> {
                    if (Thread.currentThread() == t && sawFree.getCount() > 0) {
                        sawFree.countDown();
                        TeardownTest.await(claimedByOther);
                    }
                });
        TestHooks.arm(
                TestHooks.Point.CLAIM_LOST,
                () -> {
                    if (Thread.currentThread() == t) {
                        lost.countDown();
                        TeardownTest.await(gaveBack);
                    }
                });
        t.start();
        try {
            TeardownTest.await(sawFree);
            assertTrue(
                    claims.tryClaim(0),
                    "this thread claims it between the waiter's read and its compare-and-set");
            claimedByOther.countDown();
            TeardownTest.await(lost);
            claims.giveBack(0); // its memmap could not be populated
            gaveBack.countDown();
            assertTrue(
                    waiter.get(20, TimeUnit.SECONDS),
                    "the waiter claimed and initialized the sub-range itself");
            assertEquals(SubRangeClaims.DONE, claims.state(0));
        } finally {
            t.interrupt();
        }
    }

    /**
     * Defect 5: a worker whose population failed used to re-read the state after giving the
     * sub-range back; when another thread had claimed it meanwhile, the worker took that for a hard
     * failure and abandoned the rest of its slice.
     */
    @Test
    void aWorkerGoesOnWithItsSliceWhenItsGivenBackSubRangeIsClaimedByAnotherThread()
            throws Exception {
        engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge())
                                .withWorkers(1)
                                .withRangesPerWorker(8));
        engine.testing().backgroundGate().hold();
        DevicePagemap p =
                engine.memremapPages(
                        new PagemapRequest(
                                new PhysicalRange(4 * GIB, GIB), 0, Optional.empty(), true));
        stopBackgroundPopulation(p); // the worker populates each section itself
        long sub = p.subRangeLog().subRangePages();
        assertEquals(8, p.subRangeLog().size());
        engine.testing()
                .faults()
                .failAt(VmemmapLevel.PMD, 2); // the memmap of sub-range 2 cannot be populated, once
        SubRangeClaims claims = p.initializer().claims();
        TestHooks.arm(
                TestHooks.Point.GAVE_BACK,
                () -> assertTrue(claims.tryClaim(2), "a foreground caller claims it"));
        engine.testing().backgroundGate().release();
        assertTrue(p.initializer().awaitWorkers(Duration.ofSeconds(60)), "the worker ended");
        assertEquals(
                7 * sub,
                p.pagesInitializedByWorkers(),
                "the worker initialized every other sub-range");
        assertNull(p.failure(), "the worker did not stop on a failure");
        claims.giveBack(2);
        p.sync();
        assertEquals(MemmapState.IDLE, p.memmapState());
        assertTrue(p.audit().ok());
    }

    static void stopBackgroundPopulation(DevicePagemap p) throws InterruptedException {
        p.addedRange().stop();
        assertTrue(
                p.addedRange().awaitBackground(Duration.ofSeconds(60)),
                "the background population stopped");
    }
}
