package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both page writers build a memmap the audit accepts, through workers and foreground syncs. */
class PageInitTest {
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;

    @ParameterizedTest
    @EnumSource(PageInit.class)
    void eitherWriterBuildsAMemmapTheAuditAccepts(PageInit writer) {
        try (Engine engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge())
                                .withWorkers(2)
                                .withRangesPerWorker(16)
                                .withPageInit(writer))) {
            assertEquals(writer, engine.config().pageInit());
            // an altmap moves the first initialized pfn off the section boundary, so sub-ranges
            // cross sections and the altmap/device split falls inside one
            PhysicalRange range = new PhysicalRange(4 * GIB, 512 * MIB);
            DeviceMemory device = DeviceMemory.anonymous("pmem0", range);
            engine.testing().physicalMemory().register(device);
            long memmapPages = 512 * MIB / 4096 * 64 / 4096;
            VmemAltmap altmap = VmemAltmap.of(range.startPfn(), 3, memmapPages + 517);
            engine.testing().backgroundGate().hold();
            DevicePagemap p =
                    engine.memremapPages(new PagemapRequest(range, 0, Optional.of(altmap), true));
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 20; i++) {
                long pfn = random.nextLong(p.firstDevicePfn(), range.endPfn());
                p.memmapSync(pfn, 1);
                assertTrue(p.isPageInitialized(pfn), "pfn " + pfn);
            }
            engine.testing().backgroundGate().release();
            p.sync();
            MemmapAudit audit = p.audit();
            assertTrue(audit.ok(), audit.toString());
            p.close();
            device.close();
        }
    }

    @Test
    void theDefaultIsFieldsAndAnUnknownNameListsTheAcceptedOnes() {
        assertEquals(PageInit.FIELDS, EngineConfig.defaults().pageInit());
        assertEquals(PageInit.TEMPLATE, PageInit.parse("Template"));
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> PageInit.parse("memcpy"));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("accepted: fields, template"), e.getMessage());
        assertThrows(ZoneDeviceException.class, () -> EngineConfig.defaults().withPageInit(null));
    }
}
