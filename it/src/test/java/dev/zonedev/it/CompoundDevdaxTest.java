package dev.zonedev.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.DaxMapping;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.MemmapAudit;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.driver.devdax.DevDaxDevice;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Device-dax with 2 MiB and 1 GiB alignment through the shipped driver: compound pages of the
 * alignment, with vmemmap tail reuse for {@code map=mem} and full struct pages for {@code map=dev};
 * a fault of the alignment initializes its whole compound page before it is mapped.
 */
class CompoundDevdaxTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private static Platform platform() {
        return Platform.create(EngineConfig.defaults().withArch("x86_64").withWorkers(2));
    }

    @ParameterizedTest
    @CsvSource({"2M, mem, 9, true", "2M, dev, 9, false", "1G, mem, 18, true", "1G, dev, 18, false"})
    void aFaultOfTheAlignmentInitializesItsWholeCompoundPage(
            String align, String map, int order, boolean reuse) {
        long alignBytes = align.equals("1G") ? GIB : 2 * MIB;
        FaultSize size = align.equals("1G") ? FaultSize.PUD : FaultSize.PMD;
        try (Platform platform = platform()) {
            platform.engine().testing().backgroundGate().hold();
            Namespace ns =
                    platform.create(
                            NamespaceSpec.of("dax", 3 * GIB, NamespaceMode.DEVDAX)
                                    .withAlign(alignBytes)
                                    .withOption("map", map));
            DevDaxDevice dev = (DevDaxDevice) ns.daxDevices().getFirst();
            DevicePagemap pagemap = null;
            for (long offset : new long[] {0, dev.size() - alignBytes}) {
                DaxMapping mapping = dev.fault(offset, size);
                long pfn = mapping.pfn().value();
                pagemap = platform.engine().memremap().pagemapOf(pfn).orElseThrow();
                for (long p = pfn; p < pfn + (alignBytes >>> 12); p++) {
                    assertTrue(pagemap.isPageInitialized(p), "pfn " + p);
                }
            }
            assertEquals(order, pagemap.compoundOrder());
            assertEquals(reuse, pagemap.vmemmapReuse(), pagemap.noReuseReason());
            platform.engine().testing().backgroundGate().release();
            assertTrue(pagemap.awaitIdle(Duration.ofMinutes(2)));
            MemmapAudit audit = pagemap.audit();
            assertTrue(audit.ok(), audit.toString());
            assertEquals(3 * GIB / (2 * MIB), audit.pageblocksChecked());
        }
    }

    @Test
    void fsdaxKeepsOrdinaryStructPages() {
        try (Platform platform = platform()) {
            Namespace ns =
                    platform.create(
                            NamespaceSpec.of("fs", 256 * MIB, NamespaceMode.FSDAX)
                                    .withAlign(2 * MIB));
            DevicePagemap pagemap =
                    platform.engine()
                            .memremap()
                            .pagemapOf(ns.range().startPfn() + 4096)
                            .orElseThrow();
            pagemap.sync();
            assertEquals(0, pagemap.compoundOrder());
            assertEquals(256 * MIB / 4096, pagemap.structPagesWritten());
            assertTrue(pagemap.audit().ok());
        }
    }
}
