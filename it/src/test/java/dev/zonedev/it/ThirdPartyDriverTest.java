package dev.zonedev.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.it.thirdparty.ScratchDriver;
import org.junit.jupiter.api.Test;

/** The platform discovers the third-party driver with ServiceLoader and binds it by name. */
class ThirdPartyDriverTest {
    @Test
    void discoveredAndBoundByName() {
        try (Platform platform = Platform.create(EngineConfig.defaults().withWorkers(2))) {
            assertTrue(
                    platform.drivers().stream()
                            .map(NamespaceDriver::name)
                            .toList()
                            .containsAll(java.util.List.of("pmem", "devdax", "scratch")));
            Namespace ns =
                    platform.create(
                            NamespaceSpec.of("s0", 64L << 20, NamespaceMode.FSDAX)
                                    .withOption("driver", "scratch"));
            assertEquals(ScratchDriver.class, ns.driver().getClass());
            assertEquals("scratch-s0", ns.daxDevices().getFirst().name());
        }
    }
}
