package dev.zonedev.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.MemmapAudit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The shipped arch plugins, discovered with ServiceLoader, on the real engine: a 64 GiB range added
 * asynchronously on x86_64 returns before its memmap is built; the generic arch answers would-block
 * and builds it synchronously; both end with every page verified.
 */
class ArchEngineTest {
    private static final long GIB = 1L << 30;

    @Test
    void x86_64AsyncAddOf64GiBReturnsBeforeTheMemmapIsBuilt() {
        try (Engine engine = Engine.create(EngineConfig.defaults().withArch("x86_64"))) {
            engine.testing()
                    .backgroundGate()
                    .hold(); // makes "returns before it is built" deterministic
            DevicePagemap p = engine.memremapPages(request(64 * GIB));
            assertTrue(p.async());
            assertEquals(MemmapState.ACTIVE, p.memmapState());
            assertEquals(0, p.pagesInitializedByWorkers());
            long pfn = p.firstDevicePfn() + 12_345_678;
            p.memmapSync(pfn, 1);
            assertTrue(
                    p.pagesInitializedInForeground() <= 32768,
                    "one page costs at most a section's worth");
            engine.testing().backgroundGate().release();
            p.sync();
            MemmapAudit audit = p.audit();
            assertTrue(audit.ok(), audit.toString());
            assertEquals(64 * GIB / 4096, audit.pagesChecked());
        }
    }

    @Test
    void genericArchFallsBackToSynchronousAndEndsTheSame() {
        try (Engine engine = Engine.create(EngineConfig.defaults().withArch("generic"))) {
            DevicePagemap p = engine.memremapPages(request(64 * GIB));
            assertFalse(p.async(), "generic answered would-block");
            assertEquals(MemmapState.IDLE, p.memmapState());
            MemmapAudit audit = p.audit();
            assertTrue(audit.ok(), audit.toString());
        }
    }

    private static PagemapRequest request(long size) {
        return new PagemapRequest(new PhysicalRange(1L << 40, size), 0, Optional.empty(), true);
    }
}
