package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 1 GiB compound device pages with vmemmap tail reuse at 1, 16 and 64 TiB on anonymous memory:
 * added, synced from random tails, fully initialized and audited, every page and pageblock. A 64
 * TiB pagemap writes 8 Mi struct pages and keeps 512 MiB of vmemmap; its sub-ranges are its 65,536
 * compound pages; its sections cost the registry 4 MiB of words, no object each.
 */
class CompoundScaleTest {
    static final long TIB = 1L << 40;
    static final int ORDER_1G = 18;

    @ParameterizedTest
    @ValueSource(longs = {1, 16, 64})
    void aNamespaceOfTerabytesInitializesAndAuditsWithTwoFramesPerGigabyte(long tib) {
        try (Engine engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(128 * TIB)
                                .withArchInstance(TestArch.huge())
                                .withWorkers(2))) {
            long size = tib * TIB;
            DevicePagemap p =
                    engine.memremapPages(
                            new PagemapRequest(
                                    new PhysicalRange(4L << 30, size),
                                    0,
                                    Optional.empty(),
                                    true,
                                    ORDER_1G));
            long chunk = 64L << 30; // of the section registry's maps: 4 KiB per 64 GiB
            assertEquals(
                    ((4L << 30) + size + chunk - 1) / chunk * 4096,
                    engine.testing().sectionMapBytes(),
                    "one word per 128 MiB section, no object per section");
            long compounds = size >>> 30;
            long tail = p.range().startPfn() + (compounds / 2 << ORDER_1G) + 12_345;
            p.memmapSync(tail, 1);
            assertEquals(
                    tail - 12_345,
                    p.initializer().compound().compoundHeadPfn(tail),
                    "a synced tail names its head");
            p.sync();
            MemmapAudit audit = p.audit();
            assertTrue(audit.ok(), audit.toString());
            assertEquals(size >>> 12, audit.pagesChecked());
            assertEquals(size >>> 21, audit.pageblocksChecked());
            assertEquals(compounds, audit.subRanges());
            assertEquals(compounds * 128, p.structPagesWritten());
            assertEquals(compounds * 8192, p.vmemmapBytesResident());
            p.close();
            assertEquals(0, engine.testing().sectionMapBytes(), "released with the range");
        }
    }
}
