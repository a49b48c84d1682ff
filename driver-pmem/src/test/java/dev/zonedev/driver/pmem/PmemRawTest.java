package dev.zonedev.driver.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.zonedev.api.DriverContext;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.Fixtures;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.Arena;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PmemRawTest {
    @Test
    void rawIsBlockAccessWithoutMemmapPfnsOrInfoBlock() {
        try (Arena arena = Arena.ofShared()) {
            TestNamespace ns =
                    Fixtures.anonymous(arena, NamespaceMode.RAW, Fixtures.SIZE, Map.of());
            DriverContext context = mock(DriverContext.class);
            byte[] before = Fixtures.bytes(ns.memory());
            try (PmemNamespace bound = (PmemNamespace) new PmemDriver().bind(ns, context)) {
                assertTrue(bound.daxDevices().isEmpty());
                assertTrue(bound.memmapControl().isEmpty());
                assertTrue(bound.infoBlock().isEmpty());
                assertArrayEquals(before, Fixtures.bytes(ns.memory()));

                PmemDevice pmem = bound.device();
                assertEquals(Fixtures.SIZE / 4096, pmem.nrPages());
                ZoneDeviceException e =
                        assertThrows(
                                ZoneDeviceException.class, () -> pmem.directAccess(0, 1, true));
                assertEquals(ErrorCode.INVALID, e.code());
                assertTrue(
                        e.getMessage().contains("raw namespace without struct pages"),
                        e.getMessage());

                FsDax fs = new FsDax(pmem, false);
                fs.write(0, new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, fs.read(0, 3));
                assertEquals(
                        ns.memory().address(),
                        pmem.directAccess(0, 1, false).kernelAddress().address());
            }
            verify(context, never()).memremapPages(any());
        }
    }
}
