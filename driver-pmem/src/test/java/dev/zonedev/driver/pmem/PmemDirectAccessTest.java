package dev.zonedev.driver.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.Pfn;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.Fixtures;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PmemDirectAccessTest {
    private final Arena arena = Arena.ofShared();
    private final DevPagemap pagemap = mock(DevPagemap.class);
    private TestNamespace ns;
    private PmemNamespace bound;
    private PmemDevice pmem;
    private long firstPfn;

    @BeforeEach
    void bind() {
        ns = Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of());
        bound = (PmemNamespace) new PmemDriver().bind(ns, Fixtures.context(pagemap));
        pmem = bound.device();
        firstPfn =
                ns.range().startPfn()
                        + bound.infoBlock().orElseThrow().dataOffset() / Pages.PAGE_SIZE;
    }

    @AfterEach
    void close() {
        bound.close();
        arena.close();
    }

    @Test
    void pfnPathSyncsExactlyThePagesReturnedBeforeReturning() {
        AtomicBoolean synced = new AtomicBoolean();
        doAnswer(
                        inv -> {
                            synced.set(true);
                            return null;
                        })
                .when(pagemap)
                .memmapSync(anyLong(), anyLong());

        DirectAccess access = pmem.directAccess(10, 4, true);

        assertTrue(synced.get());
        verify(pagemap).memmapSync(firstPfn + 10, 4);
        assertEquals(Pfn.devMap(firstPfn + 10), access.pfn().orElseThrow());
        assertEquals(4, access.availablePages());
        assertEquals(4 * Pages.PAGE_SIZE, access.kernelAddress().byteSize());
        long dataOffset = bound.infoBlock().orElseThrow().dataOffset();
        assertEquals(
                ns.memory().address() + dataOffset + 10 * Pages.PAGE_SIZE,
                access.kernelAddress().address());
    }

    @Test
    void pfnIsNotHandedOutUntilMemmapSyncReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        doAnswer(
                        inv -> {
                            entered.countDown();
                            assertTrue(release.await(10, TimeUnit.SECONDS));
                            return null;
                        })
                .when(pagemap)
                .memmapSync(anyLong(), anyLong());

        CompletableFuture<DirectAccess> pending =
                CompletableFuture.supplyAsync(() -> pmem.directAccess(0, 1, true));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertThrows(TimeoutException.class, () -> pending.get(50, TimeUnit.MILLISECONDS));
        assertFalse(pending.isDone());
        release.countDown();
        assertEquals(firstPfn, pending.get(10, TimeUnit.SECONDS).pfn().orElseThrow().value());
    }

    @Test
    void noPfnPathNeverTouchesTheMemmap() {
        DirectAccess access = pmem.directAccess(0, 8, false);
        assertTrue(access.pfn().isEmpty());
        assertEquals(8, access.availablePages());
        access.kernelAddress().set(ValueLayout.JAVA_LONG, 0, 42L);
        verify(pagemap, never()).memmapSync(anyLong(), anyLong());
    }

    @Test
    void rangeErrorsNameTheAcceptedRange() {
        long n = pmem.nrPages();
        for (long[] bad : new long[][] {{-1, 1}, {n, 1}, {Long.MAX_VALUE, 1}}) {
            ZoneDeviceException e =
                    assertThrows(
                            ZoneDeviceException.class,
                            () -> pmem.directAccess(bad[0], bad[1], false));
            assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
            assertTrue(
                    e.getMessage().contains("accepted: page offsets 0.." + (n - 1)),
                    e.getMessage());
        }
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> pmem.directAccess(0, 0, true))
                        .code());
        assertEquals(n, pmem.directAccess(0, n, false).availablePages());
        assertEquals(
                2,
                pmem.directAccess(n - 2, 3, false).availablePages(),
                "shortened at the end, as the kernel does");
        assertEquals(n, pmem.directAccess(0, n + 1, false).availablePages());
        verify(pagemap, never()).memmapSync(anyLong(), anyLong());
    }

    @Test
    void accessStartingOnABadBlockFailsWithIoError() {
        pmem.badblocks().add(new BadSectorRange(8 * 5 + 3, 1)); // a sector inside page 5
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> pmem.directAccess(5, 2, true));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("page 5"), e.getMessage());
        verify(pagemap, never()).memmapSync(anyLong(), anyLong());
    }

    @Test
    void accessRunningIntoABadBlockIsShortenedAndSyncsOnlyTheGoodPages() {
        pmem.badblocks().add(new BadSectorRange(8 * 7, 8));
        DirectAccess access = pmem.directAccess(4, 10, true);
        assertEquals(3, access.availablePages());
        assertEquals(3 * Pages.PAGE_SIZE, access.kernelAddress().byteSize());
        verify(pagemap).memmapSync(firstPfn + 4, 3);
        pmem.badblocks().clear(new BadSectorRange(8 * 7, 8));
        assertEquals(10, pmem.directAccess(4, 10, false).availablePages());
    }

    @Test
    void badblocksOptionIsAppliedAtBind() {
        bound.close();
        TestNamespace withBb = ns.withOptions(Map.of("badblocks", "16+8"));
        try (PmemNamespace again =
                (PmemNamespace) new PmemDriver().bind(withBb, Fixtures.context(pagemap))) {
            assertEquals(
                    ErrorCode.IO_ERROR,
                    assertThrows(
                                    ZoneDeviceException.class,
                                    () -> again.device().directAccess(2, 1, false))
                            .code());
            assertEquals(2, again.device().directAccess(0, 4, false).availablePages());
        }
    }

    @Test
    void afterCloseEveryAccessFailsWithNoDeviceAndThePagemapIsTornDownOnce() {
        bound.close();
        bound.close();
        verify(pagemap).close();
        assertEquals(
                ErrorCode.NO_DEVICE,
                assertThrows(ZoneDeviceException.class, () -> pmem.directAccess(0, 1, false))
                        .code());
        assertEquals(
                ErrorCode.NO_DEVICE,
                assertThrows(ZoneDeviceException.class, () -> pmem.directAccess(0, 1, true))
                        .code());
        verify(pagemap, never()).memmapSync(anyLong(), anyLong());
    }

    @Test
    void aDisableDuringMemmapSyncWithholdsThePfn() {
        doAnswer(
                        inv -> {
                            pmem.disable();
                            return null;
                        })
                .when(pagemap)
                .memmapSync(anyLong(), anyLong());
        assertEquals(
                ErrorCode.NO_DEVICE,
                assertThrows(ZoneDeviceException.class, () -> pmem.directAccess(0, 1, true))
                        .code());
    }
}
