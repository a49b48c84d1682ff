package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failure state describes the present (defect 6 of issue 9): healed means healed; history stays in
 * the log.
 */
class FailureStateTest {
    private static final long GIB = 1L << 30;
    private Engine engine;

    @AfterEach
    void close() {
        TestHooks.disarmAll();
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aBackgroundFailureThatASyncHealedIsNoLongerReportedButStaysInTheFailureLog()
            throws Exception {
        engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge())
                                .withWorkers(1)
                                .withRangesPerWorker(4));
        engine.testing().backgroundGate().hold();
        DevicePagemap p =
                engine.memremapPages(
                        new PagemapRequest(
                                new PhysicalRange(4 * GIB, GIB), 0, Optional.empty(), true));
        Thread foreground = Thread.currentThread();
        // every background attempt to populate a section runs out of memory: the population task
        // and the worker
        TestHooks.arm(
                TestHooks.Point.SECTION_LOCKED,
                () -> {
                    if (Thread.currentThread() != foreground) {
                        throw ZoneDeviceException.outOfMemory(
                                "injected: no memory for the background");
                    }
                });
        engine.testing().backgroundGate().release();
        assertTrue(
                p.addedRange().awaitBackground(Duration.ofSeconds(60)),
                "the background population ended");
        assertTrue(p.initializer().awaitWorkers(Duration.ofSeconds(60)), "the worker ended");
        assertNotNull(p.failure(), "while pages are left uninitialized the failure is present");
        assertEquals(MemmapState.ACTIVE, p.memmapState());
        p.sync(); // heals: the foreground populates and initializes what the background could not
        assertEquals(MemmapState.IDLE, p.memmapState());
        assertTrue(p.audit().ok());
        assertNull(p.failure(), "a healed failure is not reported as present");
        assertTrue(
                engine.failures().failures().stream()
                        .anyMatch(f -> f.startsWith("memmap_init/populate")),
                "the population failure stays in the log: " + engine.failures().failures());
        assertTrue(
                engine.failures().failures().stream()
                        .anyMatch(f -> f.startsWith("memmap worker 0")),
                "the worker's failure stays in the log: " + engine.failures().failures());
    }
}
