package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When vmemmap tail reuse applies, and the reason named when it does not. */
class VmemmapReuseTest {
    private static final long GIB = 1L << 30;
    private static final PhysicalRange RANGE = new PhysicalRange(4 * GIB, 2 * GIB);

    private static VmemmapReuse decide(
            PhysicalRange range, Optional<VmemAltmap> altmap, int order, boolean shared) {
        return VmemmapReuse.decide(
                new AddMemoryRequest(0, range, altmap, Optional.empty(), order), shared);
    }

    @Test
    void compoundPagesOfTwoMegabytesOrMoreReuseTheirTails() {
        assertTrue(decide(RANGE, Optional.empty(), 9, false).applies());
        assertTrue(decide(RANGE, Optional.empty(), 18, false).applies());
        assertEquals("", decide(RANGE, Optional.empty(), 18, false).reason());
    }

    @Test
    void everyFallbackNamesItsReason() {
        assertEquals(VmemmapReuse.NOT_COMPOUND, decide(RANGE, Optional.empty(), 0, false));
        assertEquals(VmemmapReuse.SMALL, decide(RANGE, Optional.empty(), 7, false).reason());
        assertTrue(decide(RANGE, Optional.empty(), 8, false).applies(), "4 vmemmap pages");
        VmemAltmap altmap = VmemAltmap.of(RANGE.startPfn(), 2, 16384);
        assertEquals(VmemmapReuse.ALTMAP, decide(RANGE, Optional.of(altmap), 9, false).reason());
        PhysicalRange unaligned = new PhysicalRange(4 * GIB + (2L << 20), GIB);
        assertEquals(
                VmemmapReuse.UNALIGNED, decide(unaligned, Optional.empty(), 18, false).reason());
        assertEquals(
                VmemmapReuse.SHARED_SECTION, decide(RANGE, Optional.empty(), 9, true).reason());
        assertFalse(decide(RANGE, Optional.empty(), 9, true).applies());
    }
}
