package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TeardownStateTest {
    @Test
    void memmapStateAfterTeardownIsNoDeviceNotAStaleActive() {
        try (Engine engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge())
                                .withWorkers(2))) {
            engine.testing().backgroundGate().hold();
            DevicePagemap p =
                    engine.memremapPages(
                            new PagemapRequest(
                                    new PhysicalRange(4L << 30, 128L << 20),
                                    0,
                                    Optional.empty(),
                                    true));
            assertEquals(MemmapState.ACTIVE, p.memmapState());
            p.close();
            // the workers were stopped: a poller waiting for "idle" would otherwise read "active"
            // forever
            ZoneDeviceException e = assertThrows(ZoneDeviceException.class, p::memmapState);
            assertEquals(ErrorCode.NO_DEVICE, e.code());
        }
    }
}
