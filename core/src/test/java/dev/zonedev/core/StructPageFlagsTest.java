package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Defect 7 of issue 9: the audit decodes a struct page's flags field by field, so a value the
 * encoder let spill into another field is reported; and an engine whose address space needs section
 * numbers wider than the field is refused when it is assembled.
 */
class StructPageFlagsTest {
    private static final int SHIFT = 15; // 128 MiB sections of 4 KiB pages

    @Test
    void aCorrectlyEncodedWordDecodesToItsFields() {
        long pfn = (12345L << SHIFT) + 7;
        long flags = StructPage.flags(StructPage.baseFlags(1023), pfn, SHIFT);
        assertEquals(StructPage.ZONE_DEVICE, StructPage.zoneOf(flags));
        assertEquals(1023, StructPage.nodeOf(flags));
        assertEquals(12345, StructPage.sectionOf(flags));
        assertTrue(StructPage.flagsMatch(flags, 1023, 12345));
    }

    @Test
    void aSectionNumberThatSpilledIntoTheNodeFieldIsCaught() {
        long section = 1L << 20; // one bit wider than the field
        long spilled = StructPage.flags(StructPage.baseFlags(0), section << SHIFT, SHIFT);
        assertEquals(
                1,
                StructPage.nodeOf(spilled),
                "the encoder put the section's top bit into the node");
        assertFalse(StructPage.flagsMatch(spilled, 0, section));
    }

    @Test
    void aNodeThatSpilledIntoTheZoneFieldIsCaught() {
        long spilled = StructPage.flags(StructPage.baseFlags(1024), 5L << SHIFT, SHIFT);
        assertEquals(StructPage.ZONE_DEVICE + 1, StructPage.zoneOf(spilled));
        assertFalse(StructPage.flagsMatch(spilled, 1024, 5));
    }

    @Test
    void anyOtherPageFlagIsCaught() {
        long flags = StructPage.flags(StructPage.baseFlags(3), 9L << SHIFT, SHIFT);
        assertFalse(StructPage.flagsMatch(flags | 1, 3, 9));
        assertFalse(StructPage.flagsMatch(flags & ~StructPage.PG_RESERVED, 3, 9));
    }

    @Test
    void anEngineWhoseSectionsNeedMoreThanTwentyBitsIsRefused() {
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () ->
                                Engine.create(
                                                EngineConfig.defaults()
                                                        .withArchInstance(TestArch.huge())
                                                        .withMaxPhysicalBytes(256L << 40))
                                        .close());
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("2097152 sections"), e.getMessage());
        assertTrue(
                e.getMessage().contains("accepted: at most 140737488355328 bytes (128 TiB)"),
                e.getMessage());
        Engine.create(
                        EngineConfig.defaults()
                                .withArchInstance(TestArch.base())
                                .withMaxPhysicalBytes(128L << 40))
                .close();
    }

    @Test
    void aNodeBeyondTheFieldNeverReachesTheEngine() {
        try (Engine engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withArchInstance(TestArch.huge())
                                .withMaxPhysicalBytes(1L << 40)
                                .withWorkers(1))) {
            ZoneDeviceException e =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    engine.memremapPages(
                                            new PagemapRequest(
                                                    new PhysicalRange(4L << 30, 128L << 20),
                                                    1024,
                                                    Optional.empty(),
                                                    true)));
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains("accepted: 0 to 1023"), e.getMessage());
            assertTrue(engine.memremap().livePagemaps().isEmpty());
        }
    }
}
