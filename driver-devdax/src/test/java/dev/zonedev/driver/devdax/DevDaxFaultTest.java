package dev.zonedev.driver.devdax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.zonedev.api.DaxMapping;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.Pfn;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.Fixtures;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevDaxFaultTest {
    private final Arena arena = Arena.ofShared();
    private final DevPagemap pagemap = mock(DevPagemap.class);
    private DevDaxNamespace bound;

    @TempDir Path dir;

    @AfterEach
    void close() {
        if (bound != null) {
            bound.close();
        }
        arena.close();
    }

    private DevDaxDevice bind(long align) {
        TestNamespace ns =
                Fixtures.anonymous(arena, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of())
                        .withAlign(align);
        bound = (DevDaxNamespace) new DevDaxDriver().bind(ns, Fixtures.context(pagemap));
        return bound.region().devices().getFirst();
    }

    @Test
    void pmdFaultSyncsTheWholeFaultBeforeRecordingTheMapping() {
        DevDaxDevice dax = bind(Pages.PMD_SIZE);
        long offset = 3 * Pages.PMD_SIZE;
        long expectedPfn = Pages.pfn(dax.physStart() + offset);
        doAnswer(
                        inv -> {
                            assertTrue(
                                    dax.mappingAt(offset).isEmpty(),
                                    "mapping recorded before memmapSync returned");
                            return null;
                        })
                .when(pagemap)
                .memmapSync(anyLong(), anyLong());

        DaxMapping mapping = dax.fault(offset, FaultSize.PMD);

        verify(pagemap).memmapSync(expectedPfn, 512);
        assertEquals(new DaxMapping(offset, Pfn.devMap(expectedPfn), FaultSize.PMD), mapping);
        assertEquals(List.of(mapping), dax.mappings());
        assertEquals(mapping, dax.mappingAt(offset + 4096).orElseThrow());
        assertEquals(0, expectedPfn % 512);
    }

    @Test
    void pteFaultOnA4kDevice() {
        DevDaxDevice dax = bind(Pages.PAGE_SIZE);
        DaxMapping m = dax.fault(7 * Pages.PAGE_SIZE, FaultSize.PTE);
        verify(pagemap).memmapSync(Pages.pfn(dax.physStart()) + 7, 1);
        assertEquals(Pages.pfn(dax.physStart()) + 7, m.pfn().value());
        assertTrue(m.pfn().hasPage());
    }

    @Test
    void pudFaultOnA1gDeviceBackedByASparseFile() {
        long size = 3 * Pages.PUD_SIZE;
        TestNamespace ns =
                Fixtures.file(arena, dir.resolve("big.img"), NamespaceMode.DEVDAX, size, Map.of())
                        .withAlign(Pages.PUD_SIZE);
        bound = (DevDaxNamespace) new DevDaxDriver().bind(ns, Fixtures.context(pagemap));
        DevDaxDevice dax = bound.region().devices().getFirst();
        assertEquals(0, dax.physStart() % Pages.PUD_SIZE);
        assertEquals(2 * Pages.PUD_SIZE, dax.size());
        DaxMapping m = dax.fault(Pages.PUD_SIZE, FaultSize.PUD);
        verify(pagemap)
                .memmapSync(
                        Pages.pfn(dax.physStart() + Pages.PUD_SIZE),
                        Pages.PUD_SIZE / Pages.PAGE_SIZE);
        assertEquals(FaultSize.PUD, m.size());
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> dax.fault(0, FaultSize.PMD)).code());
    }

    @Test
    void faultWaitsForMemmapSync() throws Exception {
        DevDaxDevice dax = bind(Pages.PMD_SIZE);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        doAnswer(
                        inv -> {
                            entered.countDown();
                            assertTrue(release.await(10, TimeUnit.SECONDS));
                            return null;
                        })
                .when(pagemap)
                .memmapSync(anyLong(), anyLong());
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            faultWaitsForMemmapSync(dax, pool, entered, release);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private void faultWaitsForMemmapSync(
            DevDaxDevice dax,
            java.util.concurrent.ExecutorService pool,
            CountDownLatch entered,
            CountDownLatch release)
            throws Exception {
        CompletableFuture<DaxMapping> pending =
                CompletableFuture.supplyAsync(() -> dax.fault(0, FaultSize.PMD), pool);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertThrows(TimeoutException.class, () -> pending.get(50, TimeUnit.MILLISECONDS));
        assertTrue(dax.mappings().isEmpty());
        // a direct access without a pfn is not held up meanwhile
        assertEquals(
                1,
                CompletableFuture.supplyAsync(() -> dax.directAccess(5, 1, false), pool)
                        .get(10, TimeUnit.SECONDS)
                        .availablePages());
        release.countDown();
        assertEquals(0, pending.get(10, TimeUnit.SECONDS).offset());
        assertEquals(1, dax.mappings().size());
    }

    @Test
    void misalignedFaultsAreRefused() {
        DevDaxDevice dax = bind(Pages.PMD_SIZE);
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> dax.fault(4096, FaultSize.PMD));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(
                e.getMessage().contains("SIGBUS")
                        && e.getMessage().contains("accepted: multiples of 0x200000"),
                e.getMessage());
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(
                                ZoneDeviceException.class,
                                () -> dax.fault(-Pages.PMD_SIZE, FaultSize.PMD))
                        .code());
        verify(pagemap, never()).memmapSync(anyLong(), anyLong());
    }

    @Test
    void faultSizesOtherThanTheAlignmentAreRefused() {
        DevDaxDevice dax = bind(Pages.PMD_SIZE);
        ZoneDeviceException small =
                assertThrows(ZoneDeviceException.class, () -> dax.fault(0, FaultSize.PTE));
        assertEquals(ErrorCode.INVALID, small.code());
        assertTrue(small.getMessage().contains("smaller than the alignment"), small.getMessage());
        ZoneDeviceException large =
                assertThrows(ZoneDeviceException.class, () -> dax.fault(0, FaultSize.PUD));
        assertEquals(ErrorCode.INVALID, large.code());
        assertTrue(
                large.getMessage().contains("larger than its PMD(2M) alignment allows"),
                large.getMessage());
        assertTrue(
                large.getMessage().contains("accepted: PMD(2M) faults only"), large.getMessage());
        verify(pagemap, never()).memmapSync(anyLong(), anyLong());
    }

    @Test
    void faultsPastTheEndAreRefused() {
        DevDaxDevice dax = bind(Pages.PMD_SIZE);
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> dax.fault(dax.size(), FaultSize.PMD));
        assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
        assertTrue(e.getMessage().contains("accepted offsets: 0.."), e.getMessage());
        dax.fault(dax.size() - Pages.PMD_SIZE, FaultSize.PMD);
    }

    @Test
    void faultsAfterDisableAreRefusedAndMappingsAreZapped() {
        DevDaxDevice dax = bind(Pages.PMD_SIZE);
        dax.fault(0, FaultSize.PMD);
        bound.close();
        assertTrue(dax.mappings().isEmpty());
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> dax.fault(0, FaultSize.PMD));
        assertEquals(ErrorCode.NO_DEVICE, e.code());
        assertTrue(
                e.getMessage().contains("SIGBUS") && e.getMessage().contains("disabled"),
                e.getMessage());
        assertEquals(
                ErrorCode.NO_DEVICE,
                assertThrows(ZoneDeviceException.class, () -> dax.directAccess(0, 1, false))
                        .code());
        assertFalse(dax.enabled());
        verify(pagemap).close();
    }

    @Test
    void aDisableDuringMemmapSyncRecordsNothing() {
        DevDaxDevice dax = bind(Pages.PMD_SIZE);
        doAnswer(
                        inv -> {
                            dax.disable();
                            return null;
                        })
                .when(pagemap)
                .memmapSync(anyLong(), anyLong());
        assertEquals(
                ErrorCode.NO_DEVICE,
                assertThrows(ZoneDeviceException.class, () -> dax.fault(0, FaultSize.PMD)).code());
        assertTrue(dax.mappings().isEmpty());
    }

    @Test
    void aFailedMemmapSyncRecordsNothing() {
        DevDaxDevice dax = bind(Pages.PMD_SIZE);
        doThrow(ZoneDeviceException.outOfMemory("no memmap"))
                .when(pagemap)
                .memmapSync(anyLong(), anyLong());
        assertEquals(
                ErrorCode.OUT_OF_MEMORY,
                assertThrows(ZoneDeviceException.class, () -> dax.fault(0, FaultSize.PMD)).code());
        assertTrue(dax.mappings().isEmpty());
    }

    @Test
    void directAccessAsksForThePfnOnlyWhenWanted() {
        DevDaxDevice dax = bind(Pages.PMD_SIZE);
        var noPfn = dax.directAccess(10, 3, false);
        assertTrue(noPfn.pfn().isEmpty());
        verify(pagemap, never()).memmapSync(anyLong(), anyLong());
        var withPfn = dax.directAccess(10, 3, true);
        long pfn = Pages.pfn(dax.physStart()) + 10;
        verify(pagemap).memmapSync(pfn, 3);
        assertEquals(Pfn.devMap(pfn), withPfn.pfn().orElseThrow());
        assertEquals(3, withPfn.availablePages());
        assertEquals(
                ErrorCode.OUT_OF_RANGE,
                assertThrows(
                                ZoneDeviceException.class,
                                () -> dax.directAccess(dax.nrPages(), 1, true))
                        .code());
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> dax.directAccess(0, -1, true))
                        .code());
    }

    @Test
    void memmapStateDelegatesAndRefusesOtherValues() {
        bind(Pages.PMD_SIZE);
        org.mockito.Mockito.when(pagemap.memmapState())
                .thenReturn(dev.zonedev.api.MemmapState.ACTIVE);
        var control = bound.memmapControl().orElseThrow();
        assertEquals("active", control.memmapState().text());
        control.write("sync");
        verify(pagemap).sync();
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> control.write("go")).code());
        bound.close();
        assertEquals(
                ErrorCode.NO_DEVICE,
                assertThrows(ZoneDeviceException.class, control::memmapState).code());
    }
}
