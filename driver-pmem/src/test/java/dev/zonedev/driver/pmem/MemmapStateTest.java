package dev.zonedev.driver.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.Fixtures;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.Arena;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemmapStateTest {
    @Test
    void readsWritesSyncAndRefusesOtherValues() {
        DevPagemap pagemap = mock(DevPagemap.class);
        when(pagemap.memmapState()).thenReturn(MemmapState.ACTIVE, MemmapState.IDLE);
        try (Arena arena = Arena.ofShared()) {
            TestNamespace ns =
                    Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of());
            PmemNamespace bound =
                    (PmemNamespace) new PmemDriver().bind(ns, Fixtures.context(pagemap));
            MemmapControl control = bound.memmapControl().orElseThrow();
            assertEquals("active", control.memmapState().text());
            control.write(" sync\n");
            verify(pagemap).sync();
            assertEquals("idle", control.memmapState().text());

            ZoneDeviceException e =
                    assertThrows(ZoneDeviceException.class, () -> control.write("idle"));
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains("accepts only \"sync\""), e.getMessage());
            verify(pagemap, times(1)).sync();

            bound.close();
            assertEquals(
                    ErrorCode.NO_DEVICE,
                    assertThrows(ZoneDeviceException.class, control::memmapState).code());
            assertEquals(
                    ErrorCode.NO_DEVICE,
                    assertThrows(ZoneDeviceException.class, () -> control.write("sync")).code());
            verify(pagemap, times(1)).sync();
            verify(pagemap, never())
                    .memmapSync(
                            org.mockito.ArgumentMatchers.anyLong(),
                            org.mockito.ArgumentMatchers.anyLong());
        }
    }
}
