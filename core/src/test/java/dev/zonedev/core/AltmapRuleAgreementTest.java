package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.AltmapBlocks;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Defect 4 of issue 9, on the engine: the altmap check at hot-add and the allocator follow one rule
 * ({@link AltmapBlocks}), so an altmap of exactly {@link AltmapBlocks#pagesNeeded} free pages holds
 * the whole memmap, and one page less is refused when the range is added instead of failing later
 * with "altmap exhausted" under a {@code sync}.
 */
class AltmapRuleAgreementTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private Engine engine;
    private DeviceMemory device;

    @AfterEach
    void close() {
        engine.close();
        device.close();
    }

    private PagemapRequest request(
            String arch, long startOffset, long size, long reserve, long free) {
        engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withWorkers(2)
                                .withArchInstance(
                                        arch.equals("huge") ? TestArch.huge() : TestArch.base()));
        PhysicalRange range = new PhysicalRange(4 * GIB + startOffset, size);
        device = DeviceMemory.anonymous("altmap-" + arch, range);
        engine.testing().physicalMemory().register(device);
        return new PagemapRequest(
                range, 0, Optional.of(VmemAltmap.of(range.startPfn(), reserve, free)), true);
    }

    private static long needed(String arch, long startOffset, long size, long reserve) {
        TestArch a = arch.equals("huge") ? TestArch.huge() : TestArch.base();
        return AltmapBlocks.pagesNeeded(
                new PhysicalRange(4 * GIB + startOffset, size), reserve, a.vmemmapBlockSize());
    }

    @ParameterizedTest(name = "{0}: +{1} bytes, {2} bytes, reserve {3}")
    @CsvSource({
        "huge, 0, 1073741824, 2",
        "huge, 2097152, 136314880, 2",
        "huge, 0, 134217728, 0",
        "base, 0, 1073741824, 2",
        "base, 6291456, 272629760, 2"
    })
    void anAltmapOfExactlyTheNeededPagesHoldsTheWholeMemmap(
            String arch, long startOffset, long size, long reserve) {
        long needed = needed(arch, startOffset, size, reserve);
        PagemapRequest request = request(arch, startOffset, size, reserve, needed);
        DevicePagemap p = engine.memremapPages(request);
        p.sync();
        assertTrue(p.audit().ok(), "every struct page initialized from the altmap");
        p.close();
    }

    @ParameterizedTest(name = "{0}: +{1} bytes, {2} bytes, reserve {3}")
    @CsvSource({"huge, 0, 1073741824, 2", "huge, 2097152, 136314880, 2", "base, 0, 1073741824, 2"})
    void onePageLessIsRefusedWhenTheRangeIsAdded(
            String arch, long startOffset, long size, long reserve) {
        long needed = needed(arch, startOffset, size, reserve);
        PagemapRequest request = request(arch, startOffset, size, reserve, needed - 1);
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> engine.memremapPages(request));
        assertEquals(ErrorCode.INVALID, e.code(), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "take " + needed + " pages but only " + (needed - 1) + " are free"),
                e.getMessage());
        assertTrue(e.getMessage().contains("accepted: free from " + needed), e.getMessage());
        assertEquals(0, engine.memremap().livePagemaps().size(), "nothing stays added");
    }
}
