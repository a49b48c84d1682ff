package dev.zonedev.driver.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.Fixtures;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FsDaxTest {
    private final Arena arena = Arena.ofShared();
    private final DevPagemap pagemap = mock(DevPagemap.class);
    private final CountDownLatch memmapDone = new CountDownLatch(1);
    private final CountDownLatch syncEntered = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private PmemNamespace bound;
    private PmemDevice pmem;

    @BeforeEach
    void bind() {
        // memmap initialization that never finishes until the test says so
        doAnswer(
                        inv -> {
                            syncEntered.countDown();
                            assertTrue(memmapDone.await(20, TimeUnit.SECONDS));
                            return null;
                        })
                .when(pagemap)
                .memmapSync(anyLong(), anyLong());
        TestNamespace ns = Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of());
        bound = (PmemNamespace) new PmemDriver().bind(ns, Fixtures.context(pagemap));
        pmem = bound.device();
    }

    @AfterEach
    void close() {
        memmapDone.countDown();
        pool.shutdownNow();
        bound.close();
        arena.close();
    }

    @Test
    void readWriteZeroNeverWaitForTheMemmap() throws Exception {
        // a pfn consumer is stuck in memmapSync ...
        Future<?> faulting = pool.submit(() -> pmem.directAccess(100, 1, true));
        assertTrue(syncEntered.await(10, TimeUnit.SECONDS));
        FsDax fs = new FsDax(pmem, false);
        byte[] payload = new byte[3 * (int) Pages.PAGE_SIZE + 123];
        Arrays.fill(payload, (byte) 0x5a);
        long pos = 5 * Pages.PAGE_SIZE - 17; // unaligned, spans page boundaries

        // ... while file I/O completes
        CompletableFuture.runAsync(() -> fs.write(pos, payload), pool).get(10, TimeUnit.SECONDS);
        assertArrayEquals(
                payload,
                CompletableFuture.supplyAsync(() -> fs.read(pos, payload.length), pool)
                        .get(10, TimeUnit.SECONDS));
        CompletableFuture.runAsync(() -> fs.zero(pos + 10, 100), pool).get(10, TimeUnit.SECONDS);
        byte[] back = fs.read(pos, payload.length);
        for (int i = 0; i < back.length; i++) {
            assertEquals(i >= 10 && i < 110 ? 0 : 0x5a, back[i], "byte " + i);
        }
        assertFalse(faulting.isDone());
        verify(pagemap).memmapSync(anyLong(), anyLong()); // only the pfn consumer's
        memmapDone.countDown();
        faulting.get(10, TimeUnit.SECONDS);
    }

    @Test
    void mountCheckWithoutDebugAsksForNoPfn() throws Exception {
        FsDax fs = new FsDax(pmem, false);
        assertTrue(
                CompletableFuture.supplyAsync(() -> fs.daxSupported(4096), pool)
                        .get(10, TimeUnit.SECONDS));
        verify(pagemap, never()).memmapSync(anyLong(), anyLong());
        assertFalse(fs.daxSupported(512));
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> fs.checkDaxSupported(1024)).code());
    }

    @Test
    void mountCheckInDebugValidatesThePfnAfterSyncingIt() {
        memmapDone.countDown();
        FsDax fs = new FsDax(pmem, true);
        assertTrue(fs.daxSupported(4096));
        verify(pagemap).memmapSync(pmem.pfnOf(0), 1);
    }

    @Test
    void debugModeFollowsTheSystemProperty() {
        String old = System.getProperty(FsDax.DEBUG_PROPERTY);
        try {
            System.setProperty(FsDax.DEBUG_PROPERTY, "true");
            assertTrue(new FsDax(pmem).debug());
            System.clearProperty(FsDax.DEBUG_PROPERTY);
            assertFalse(new FsDax(pmem).debug());
        } finally {
            if (old != null) {
                System.setProperty(FsDax.DEBUG_PROPERTY, old);
            }
        }
    }

    @Test
    void mountCheckOnARawDeviceInDebugFails() {
        try (Arena raw = Arena.ofConfined()) {
            TestNamespace ns =
                    Fixtures.anonymous(raw, NamespaceMode.RAW, 4 * Fixtures.MiB, Map.of());
            try (PmemNamespace r =
                    (PmemNamespace) new PmemDriver().bind(ns, Fixtures.context(pagemap))) {
                assertFalse(new FsDax(r.device(), true).daxSupported(4096));
                assertTrue(new FsDax(r.device(), false).daxSupported(4096));
            }
        }
    }

    @Test
    void ioOutsideTheDeviceOrOnABadBlockFails() {
        FsDax fs = new FsDax(pmem, false);
        ZoneDeviceException range =
                assertThrows(ZoneDeviceException.class, () -> fs.read(fs.size() - 1, 2));
        assertEquals(ErrorCode.OUT_OF_RANGE, range.code());
        assertTrue(
                range.getMessage().contains("accepted: [0, " + fs.size() + ")"),
                range.getMessage());
        pmem.badblocks().add(new BadSectorRange(8 * 3, 1));
        byte[] data = new byte[4 * (int) Pages.PAGE_SIZE];
        Arrays.fill(data, (byte) 7);
        ZoneDeviceException io = assertThrows(ZoneDeviceException.class, () -> fs.write(0, data));
        assertEquals(ErrorCode.IO_ERROR, io.code());
        // the good pages before the bad block were written
        pmem.badblocks().clear(new BadSectorRange(8 * 3, 1));
        byte[] back = fs.read(0, data.length);
        assertEquals(7, back[3 * (int) Pages.PAGE_SIZE - 1]);
        assertEquals(0, back[3 * (int) Pages.PAGE_SIZE]);
        verify(pagemap, never()).memmapSync(anyLong(), anyLong());
    }

    @Test
    void aNegativeReadLengthIsOutOfRangeNotANegativeArraySize() {
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> new FsDax(pmem).read(0, -1));
        assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
        assertTrue(e.getMessage().contains("0+-1"), e.getMessage());
    }
}
