package dev.zonedev.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A null argument is bad input like any other: EINVAL naming what is missing. */
class MissingArgumentsTest {
    private final PhysicalRange range = new PhysicalRange(1L << 30, 2L << 20);

    @Test
    void valueTypesNameTheMissingArgument() {
        List<Executable> calls =
                List.of(
                        () -> new AddMemoryRequest(0, null, Optional.empty(), Optional.empty()),
                        () -> new AddMemoryRequest(0, range, null, Optional.empty()),
                        () -> new AddMemoryRequest(0, range, Optional.empty(), null),
                        () -> new PagemapRequest(null, 0, Optional.empty(), true),
                        () -> new PagemapRequest(range, 0, null, true),
                        () -> new DirectAccess(null, 1, Optional.empty()),
                        () -> new DirectAccess(MemorySegment.ofArray(new byte[4096]), 1, null),
                        () -> new DaxMapping(0, null, FaultSize.PMD),
                        () -> new DaxMapping(0, Pfn.devMap(1), null));
        for (Executable call : calls) {
            ZoneDeviceException e = assertThrows(ZoneDeviceException.class, call);
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        }
    }
}
