package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 14 of issue 9, on the engine: a pagemap whose memmap would pin more RAM than the process
 * may use is refused with ENOMEM before anything is added. The limit is the one a test sets
 * ({@value MemoryProbe#LIMIT_PROPERTY}), not the machine's, and the background is held so that
 * nothing is touched even where the refusal is missing.
 */
class MemoryAdmissionTest {
    private static final long GIB = 1L << 30;
    private String old;
    private Engine engine;

    @BeforeEach
    void limit() {
        old = System.getProperty(MemoryProbe.LIMIT_PROPERTY);
        System.setProperty(MemoryProbe.LIMIT_PROPERTY, "1G");
        engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withArchInstance(TestArch.huge())
                                .withMaxPhysicalBytes(1L << 40)
                                .withWorkers(1));
        engine.testing().backgroundGate().hold();
    }

    @AfterEach
    void restore() {
        engine.close();
        if (old == null) {
            System.clearProperty(MemoryProbe.LIMIT_PROPERTY);
        } else {
            System.setProperty(MemoryProbe.LIMIT_PROPERTY, old);
        }
    }

    private static PagemapRequest ram(long start, long size) {
        return new PagemapRequest(new PhysicalRange(start, size), 0, Optional.empty(), true);
    }

    @Test
    void aMemmapBeyondTheLimitIsRefusedWithEnomemAndNothingIsAdded() {
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> engine.memremapPages(ram(4 * GIB, 128 * GIB)));
        assertEquals(ErrorCode.OUT_OF_MEMORY, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("needs 2.0 GiB of RAM"), e.getMessage());
        assertTrue(e.getMessage().contains("can use only 1.0 GiB"), e.getMessage());
        assertTrue(e.getMessage().contains("a size of at most 64.0 GiB"), e.getMessage());
        assertTrue(engine.memremap().livePagemaps().isEmpty());
        engine.memremapPages(ram(4 * GIB, 64 * GIB))
                .close(); // the same range fits at 64 GiB: nothing was left
    }

    @Test
    void livePagemapsCountUntilTheyAreTornDown() {
        DevicePagemap first = engine.memremapPages(ram(4 * GIB, 32 * GIB));
        DevicePagemap second = engine.memremapPages(ram(64 * GIB, 32 * GIB));
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> engine.memremapPages(ram(128 * GIB, 2 * GIB)));
        assertEquals(ErrorCode.OUT_OF_MEMORY, e.code(), e.getMessage());
        first.close();
        engine.memremapPages(ram(128 * GIB, 2 * GIB)).close();
        second.close();
    }
}
