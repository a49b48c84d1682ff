package dev.zonedev.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VmemAltmapTest {
    @Test
    void sumsThatOverflowAreRefusedNotWrappedPastTheChecks() {
        // reserve + free wrapped negative and passed the memremap check offset() <= nrPages
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> VmemAltmap.of(0, Long.MAX_VALUE, 1));
        assertEquals(ErrorCode.INVALID, e.code());
        // alloc + align wrapped negative and passed the check alloc + align <= free
        e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> new VmemAltmap(0, 0, 10, Long.MAX_VALUE, 1));
        assertEquals(ErrorCode.INVALID, e.code());
        assertEquals(Long.MAX_VALUE, VmemAltmap.of(0, Long.MAX_VALUE - 1, 1).offset());
        assertEquals(10, new VmemAltmap(0, 0, 10, 4, 6).free());
    }
}
