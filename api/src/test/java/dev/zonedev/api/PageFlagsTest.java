package dev.zonedev.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Defect 7 of issue 9: every field of a struct page's flags is bounded where it enters the API, so
 * no value can spill into a neighbouring field.
 */
class PageFlagsTest {
    private static final long TIB = 1L << 40;
    private final PhysicalRange range = new PhysicalRange(1L << 32, 2L << 20);

    private static void refused(Executable call, String phrase) {
        ZoneDeviceException e = assertThrows(ZoneDeviceException.class, call);
        assertEquals(ErrorCode.INVALID, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(phrase), e.getMessage());
    }

    @Test
    void theFieldsFillTheWordWithoutOverlap() {
        assertEquals(3, PageFlags.ZONE_BITS);
        assertEquals(61, PageFlags.ZONE_SHIFT);
        assertEquals(51, PageFlags.NODE_SHIFT);
        assertEquals(31, PageFlags.SECTION_SHIFT);
    }

    @Test
    void aNodeBeyondTenBitsIsRefusedByEveryRequest() {
        refused(
                () -> new PagemapRequest(range, 1024, Optional.empty(), true),
                "accepted: 0 to 1023");
        refused(
                () -> new AddMemoryRequest(1024, range, Optional.empty(), Optional.empty()),
                "accepted: 0 to 1023");
        refused(() -> new PagemapRequest(range, -1, Optional.empty(), true), "node -1");
        assertEquals(1023, new PagemapRequest(range, 1023, Optional.empty(), true).nid());
    }

    @Test
    void anAddressSpaceNeedingMoreThanTwentySectionBitsIsRefused() {
        long section = 128L << 20;
        PageFlags.checkSections("", section, 64 * TIB);
        refused(
                () -> PageFlags.checkSections("", section, 256 * TIB),
                "accepted: at most 140737488355328 bytes (128 TiB)");
        PageFlags.checkSections("", 2 * section, 128 * TIB);
        assertEquals(128 * TIB, PageFlags.maxPhysicalBytes(section));
    }
}
