package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sub-section maps, their compact storage and the striped populate locks. */
class SectionRegistryTest {
    private static final long MIB = 1L << 20;
    private final SectionRegistry registry = new SectionRegistry(128 * MIB, 1L << 40);

    @Test
    void rangesAcrossSectionBoundariesReserveExactlyTheirSubSections() {
        registry.reserve(
                new PhysicalRange(126 * MIB, 132 * MIB),
                true); // 2 MiB of section 0, all of 1, 2 MiB of 2
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
        registry.reserve(new PhysicalRange(200 * MIB, 2 * MIB), true);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> registry.reserve(new PhysicalRange(100 * MIB, 102 * MIB), true));
        assertEquals(ErrorCode.EXISTS, e.code());
        assertTrue(e.getMessage().contains("section 1"), e.getMessage());
        assertFalse(
                registry.anyPresent(100 * MIB, 200 * MIB),
                "nothing of the refused range was marked");
        registry.reserve(new PhysicalRange(100 * MIB, 100 * MIB), true);
        registry.reserve(new PhysicalRange(202 * MIB, 2 * MIB), true);
    }

    @Test
    void releaseFreesOnlyTheGivenSubSections() {
        registry.reserve(new PhysicalRange(0, 256 * MIB), true);
        registry.release(new PhysicalRange(2 * MIB, 4 * MIB));
        assertTrue(registry.anyPresent(0, 2 * MIB));
        assertFalse(registry.anyPresent(2 * MIB, 6 * MIB));
        assertTrue(registry.anyPresent(6 * MIB, 8 * MIB));
        registry.reserve(new PhysicalRange(2 * MIB, 4 * MIB), true);
    }

    @Test
    void sixtyFourTebibytesCostOneWordPerSectionAndNothingOnceReleased() {
        long tib = 1L << 40;
        SectionRegistry big = new SectionRegistry(128 * MIB, 128 * tib);
        PhysicalRange reuse = new PhysicalRange(64L << 30, 64 * tib); // chunk-aligned
        big.reserve(reuse, false);
        long sections = 64 * tib / (128 * MIB);
        assertEquals(524_288, sections);
        assertEquals(sections * Long.BYTES, big.bitmapBytes(), "one present word per section");
        assertTrue(big.anyPresent(reuse.end() - 1, reuse.end()));
        assertFalse(big.anyFlatPresent(reuse.start(), reuse.end()), "tail reuse is not flat");
        PhysicalRange flat = new PhysicalRange(reuse.end(), 32 * tib);
        big.reserve(flat, true);
        assertFalse(big.sharesSectionWithFlat(new PhysicalRange(flat.end(), 2 * MIB)));
        assertEquals((sections + 2 * sections / 2) * Long.BYTES, big.bitmapBytes());
        big.release(reuse);
        big.release(flat);
        assertEquals(0, big.bitmapBytes(), "every chunk dropped");
        assertFalse(big.anyPresent(0, 128 * tib));
    }

    @Test
    void aRangeBeyondTheAddressSpaceIsRefused() {
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () ->
                                registry.reserve(
                                        new PhysicalRange((1L << 40) - 2 * MIB, 4 * MIB), true));
        assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
        assertEquals(0, registry.bitmapBytes());
    }

    @Test
    void aSectionSharedWithFlatMemoryIsSeenFromAnywhereInIt() {
        registry.reserve(new PhysicalRange(130 * MIB, 2 * MIB), true);
        registry.reserve(new PhysicalRange(256 * MIB, 2 * MIB), false);
        assertTrue(registry.sharesSectionWithFlat(new PhysicalRange(250 * MIB, 2 * MIB)));
        assertFalse(registry.sharesSectionWithFlat(new PhysicalRange(258 * MIB, 2 * MIB)));
        assertFalse(registry.anyFlatPresent(0, 130 * MIB));
        assertTrue(registry.anyPresent(256 * MIB, 384 * MIB));
    }

    @Test
    void adjacentSectionsHaveTheirOwnPopulateLocks() {
        for (long nr = 0; nr < SectionRegistry.POPULATE_LOCK_STRIPES - 1; nr++) {
            assertNotSame(registry.populateLock(nr), registry.populateLock(nr + 1));
        }
        assertSame(
                registry.populateLock(3),
                registry.populateLock(3 + SectionRegistry.POPULATE_LOCK_STRIPES));
        registry.populateLock(5).lock();
        assertTrue(registry.anyPopulateLockHeld());
        registry.populateLock(5).unlock();
        assertFalse(registry.anyPopulateLockHeld());
    }

    @Test
    void lockingManySectionsTakesEachLockOnceAndReleasesThemAll() {
        long stripes = SectionRegistry.POPULATE_LOCK_STRIPES;
        registry.lockSections(10, 10 + 3 * stripes);
        for (long nr = 0; nr < stripes; nr++) {
            assertEquals(1, registry.populateLock(nr).getHoldCount(), "section " + nr);
        }
        registry.unlockSections(10, 10 + 3 * stripes);
        registry.lockSections(stripes - 2, stripes + 2); // wraps: locks 254, 255, 0, 1
        assertTrue(registry.populateLock(0).isHeldByCurrentThread());
        assertTrue(registry.populateLock(stripes - 1).isHeldByCurrentThread());
        assertFalse(registry.populateLock(2).isHeldByCurrentThread());
        assertFalse(registry.populateLock(stripes - 3).isHeldByCurrentThread());
        registry.unlockSections(stripes - 2, stripes + 2);
        assertFalse(registry.anyPopulateLockHeld());
    }

    @Test
    void spansLockedFromTwoThreadsNeverDeadlock() throws Exception {
        long stripes = SectionRegistry.POPULATE_LOCK_STRIPES;
        // In section order these two spans would take locks 250.. then 0.. and 0.. then 250..
        Callable<Void> wrapping = () -> lockRepeatedly(stripes - 6, stripes + 100);
        Callable<Void> plain = () -> lockRepeatedly(stripes * 2 + 50, stripes * 2 + 252);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Void> a = pool.submit(wrapping);
            Future<Void> b = pool.submit(plain);
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
        }
        assertFalse(registry.anyPopulateLockHeld());
    }

    private Void lockRepeatedly(long first, long end) {
        for (int i = 0; i < 2000; i++) {
            registry.lockSections(first, end);
            registry.unlockSections(first, end);
        }
        return null;
    }
}
