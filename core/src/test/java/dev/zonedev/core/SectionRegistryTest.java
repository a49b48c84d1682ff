package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import org.junit.jupiter.api.Test;

class SectionRegistryTest {
    private static final long MIB = 1L << 20;
    private final SectionRegistry registry = new SectionRegistry(128 * MIB);

    @Test
    void rangesAcrossSectionBoundariesReserveExactlyTheirSubSections() {
        registry.reserve(
                new PhysicalRange(
                        126 * MIB, 132 * MIB)); // 2 MiB of section 0, all of 1, 2 MiB of 2
        assertTrue(registry.anyPresent(126 * MIB, 128 * MIB));
        assertFalse(registry.anyPresent(0, 126 * MIB));
        assertTrue(registry.anyPresent(256 * MIB, 258 * MIB));
        assertFalse(registry.anyPresent(258 * MIB, 384 * MIB));
        assertTrue(
                registry.anyPresent(125 * MIB, 126 * MIB + 1),
                "a partly covered sub-section counts");
    }

    @Test
    void anOverlapAnywhereRefusesTheWholeRangeAndChangesNothing() {
        registry.reserve(new PhysicalRange(200 * MIB, 2 * MIB));
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> registry.reserve(new PhysicalRange(100 * MIB, 102 * MIB)));
        assertEquals(ErrorCode.EXISTS, e.code());
        assertTrue(e.getMessage().contains("section 1"), e.getMessage());
        assertFalse(
                registry.anyPresent(100 * MIB, 200 * MIB),
                "nothing of the refused range was marked");
        registry.reserve(new PhysicalRange(100 * MIB, 100 * MIB));
        registry.reserve(new PhysicalRange(202 * MIB, 2 * MIB));
    }

    @Test
    void releaseFreesOnlyTheGivenSubSections() {
        registry.reserve(new PhysicalRange(0, 256 * MIB));
        registry.release(new PhysicalRange(2 * MIB, 4 * MIB));
        assertTrue(registry.anyPresent(0, 2 * MIB));
        assertFalse(registry.anyPresent(2 * MIB, 6 * MIB));
        assertTrue(registry.anyPresent(6 * MIB, 8 * MIB));
        registry.reserve(new PhysicalRange(2 * MIB, 4 * MIB));
    }
}
