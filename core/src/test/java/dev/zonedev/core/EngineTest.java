package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine on real memory with core's test arches: invariants 1-8 of docs/DESIGN.md. */
class EngineTest {
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;
    private Engine engine;

    private Engine engine(TestArch arch, int workers, int ranges) {
        engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(arch)
                                .withWorkers(workers)
                                .withRangesPerWorker(ranges));
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static PagemapRequest request(long start, long size, boolean async) {
        return new PagemapRequest(new PhysicalRange(start, size), 0, Optional.empty(), async);
    }

    @Test
    void asyncAddReturnsBeforeTheMemmapIsBuiltAndEndsFullyVerified() {
        engine(TestArch.huge(), 2, 128);
        engine.testing().backgroundGate().hold();
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 2 * GIB, true));
        assertTrue(p.async());
        assertEquals(
                MemmapState.ACTIVE,
                p.memmapState(),
                "nothing initialized while the background is held");
        assertEquals(0, p.pagesInitializedByWorkers());
        engine.testing().backgroundGate().release();
        p.sync();
        assertEquals(MemmapState.IDLE, p.memmapState());
        MemmapAudit audit = p.audit();
        assertTrue(audit.ok(), audit.toString());
        assertEquals(2 * GIB / 4096, audit.pagesChecked());
    }

    @Test
    void awaitIdleWaitsForTheWorkersAndReturnsEarlyOnAFailureOrTeardown() throws Exception {
        engine(TestArch.huge(), 2, 128);
        engine.testing().backgroundGate().hold();
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 2 * GIB, true));
        assertFalse(
                p.awaitIdle(Duration.ofMillis(50)),
                "nothing gets done while the background is held");
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<Boolean> waiter = pool.submit(() -> p.awaitIdle(Duration.ofSeconds(60)));
            engine.testing().backgroundGate().release();
            assertTrue(waiter.get(60, TimeUnit.SECONDS), "woken when the workers finish");
        }
        assertEquals(MemmapState.IDLE, p.memmapState());
        assertTrue(p.awaitIdle(Duration.ZERO), "idle at once");

        engine.testing().faults().failWorkerAt(2);
        DevicePagemap failed = engine.memremapPages(request(8 * GIB, 256 * MIB, true));
        long start = System.nanoTime();
        assertFalse(failed.awaitIdle(Duration.ofSeconds(60)), "a worker failure keeps it active");
        assertTrue(
                System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30),
                "returned on the failure, not the timeout");
        assertTrue(failed.failure() != null);
        failed.close();
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> failed.awaitIdle(Duration.ZERO));
        assertEquals(ErrorCode.NO_DEVICE, e.code());
    }

    @Test
    void memmapSyncInitializesJustTheRequestWhileTheBackgroundIsHeld() {
        engine(TestArch.huge(), 2, 128);
        engine.testing().backgroundGate().hold();
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 4 * GIB, true));
        long pfn = p.range().startPfn() + 123_457;
        p.memmapSync(pfn, 3);
        long sub = p.subRangeLog().subRangePages();
        assertTrue(p.pagesInitializedInForeground() <= 2 * sub, "only the covering sub-ranges");
        assertEquals(0, p.pagesInitializedByWorkers());
        assertPageInitialized(p, pfn);
        assertPageInitialized(p, pfn + 2);
        engine.testing().backgroundGate().release();
        p.sync();
        assertTrue(p.audit().ok());
    }

    @Test
    void manyThreadsSyncRandomOverlappingRangesWhileWorkersRun() throws Exception {
        engine(TestArch.huge(), 3, 7);
        DevicePagemap p = engine.memremapPages(request(8 * GIB, 1 * GIB + 6 * MIB, true));
        long first = p.firstDevicePfn();
        long pages = p.range().endPfn() - first;
        long seed = ThreadLocalRandom.current().nextLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<?>[] futures = new Future<?>[8];
            for (int t = 0; t < futures.length; t++) {
                long threadSeed = seed + t;
                futures[t] =
                        pool.submit(
                                () -> {
                                    java.util.Random r = new java.util.Random(threadSeed);
                                    start.await();
                                    for (int i = 0; i < 200; i++) {
                                        long pfn = first + (long) (r.nextDouble() * pages);
                                        long n =
                                                1
                                                        + r.nextInt(
                                                                (int)
                                                                        Math.min(
                                                                                70_000,
                                                                                first + pages
                                                                                        - pfn));
                                        p.memmapSync(pfn, n);
                                        assertPageInitialized(p, pfn);
                                        assertPageInitialized(p, pfn + n - 1);
                                    }
                                    return null;
                                });
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        p.sync();
        MemmapAudit audit = p.audit();
        assertTrue(audit.ok(), "seed " + seed + ": " + audit);
        assertEquals(pages, p.pagesInitializedByWorkers() + p.pagesInitializedInForeground());
    }

    @Test
    void teardownWhileWorkersRunDropsEveryReference() throws Exception {
        engine(TestArch.huge(), 2, 128);
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 8 * GIB, true));
        p.memmapSync(p.range().startPfn(), 1);
        p.close();
        assertEquals(0, p.referenceCount());
        assertTrue(p.closed());
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class, () -> p.memmapSync(p.range().startPfn(), 1));
        assertEquals(ErrorCode.NO_DEVICE, e.code());
        DevicePagemap again = engine.memremapPages(request(4 * GIB, 8 * GIB, false));
        assertTrue(again.audit().ok(), "the range can be added again and is fully built");
    }

    @Test
    void teardownWhileTheBackgroundIsHeldDoesNotHang() {
        engine(TestArch.huge(), 2, 16);
        engine.testing().backgroundGate().hold();
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 1 * GIB, true));
        p.close();
        assertEquals(0, p.referenceCount());
    }

    @Test
    void wouldBlockFallsBackToASynchronousAddWithTheSameEndState() {
        engine(TestArch.base(), 2, 128);
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 512 * MIB + 2 * MIB, true));
        assertFalse(p.async());
        assertEquals(
                MemmapState.IDLE, p.memmapState(), "a synchronous add returns fully initialized");
        assertTrue(p.audit().ok());
        assertEquals(
                0, p.pagesInitializedInForeground(), "the workers did the work, the caller waited");
    }

    @Test
    void overlappingAddIsRefusedAndChangesNothing() {
        engine(TestArch.huge(), 2, 8);
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 256 * MIB, false));
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> engine.memremapPages(request(4 * GIB + 254 * MIB, 4 * MIB, false)));
        assertEquals(ErrorCode.EXISTS, e.code());
        assertTrue(p.audit().ok());
        engine.memremapPages(request(4 * GIB + 256 * MIB, 2 * MIB, false));
    }

    @Test
    void subSectionRangesShareASectionAndSurviveTheirNeighboursRemoval() {
        engine(TestArch.huge(), 2, 8);
        DevicePagemap a = engine.memremapPages(request(4 * GIB, 2 * MIB, true));
        DevicePagemap b = engine.memremapPages(request(4 * GIB + 2 * MIB, 6 * MIB, true));
        a.sync();
        b.sync();
        a.close();
        assertTrue(b.audit().ok(), "b's memmap block, shared with a, stays mapped");
        DevicePagemap c = engine.memremapPages(request(4 * GIB, 2 * MIB, false));
        assertTrue(c.audit().ok());
    }

    @Test
    void misalignedRangesAreInvalid() {
        engine(TestArch.huge(), 1, 1);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> engine.memremapPages(request(4 * GIB + 4096, 2 * MIB, true)));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("2 MiB"), e.getMessage());
        e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> engine.memremapPages(request(4 * GIB, 3 * MIB, true)));
        assertEquals(ErrorCode.INVALID, e.code());
        e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> engine.memremapPages(request(1L << 40, 2 * MIB, true)));
        assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
    }

    @ParameterizedTest
    @EnumSource(
            value = VmemmapLevel.class,
            names = {"PGD", "P4D", "PUD", "PMD"})
    void allocationFailureAtEachLevelLeavesNoLockAndNothingAdded(VmemmapLevel level) {
        engine(TestArch.huge(), 2, 8);
        engine.testing().faults().failAt(level, 0);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> engine.memremapPages(request(4 * GIB, 256 * MIB, false)));
        assertEquals(ErrorCode.OUT_OF_MEMORY, e.code());
        assertTrue(e.getMessage().contains(level.name()), e.getMessage());
        assertFalse(engine.testing().anyVmemmapLockHeld());
        assertEquals(1, engine.testing().faults().injected());
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 256 * MIB, false));
        assertTrue(p.audit().ok());
    }

    @Test
    void allocationFailureAtThePteLevelOfBasePages() {
        engine(TestArch.base(), 2, 8);
        engine.testing().faults().failAt(VmemmapLevel.PTE, 100);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> engine.memremapPages(request(4 * GIB, 256 * MIB, true)));
        assertEquals(ErrorCode.OUT_OF_MEMORY, e.code());
        assertFalse(engine.testing().anyVmemmapLockHeld());
        assertTrue(engine.memremapPages(request(4 * GIB, 256 * MIB, true)).audit().ok());
    }

    @Test
    void asyncPopulationFailureReachesTheConsumerInsteadOfHanging() {
        engine(TestArch.huge(), 2, 8);
        engine.testing().backgroundGate().hold();
        engine.testing().faults().failAt(VmemmapLevel.PMD, 0);
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 256 * MIB, true));
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> p.memmapSync(p.firstDevicePfn(), 1));
        assertEquals(ErrorCode.OUT_OF_MEMORY, e.code());
        engine.testing().backgroundGate().release();
        p.sync();
        assertTrue(p.audit().ok(), "a later caller populates and finishes");
    }

    @Test
    void aTransientPopulationFailureInTheBackgroundHealsWithoutAForegroundSync() throws Exception {
        engine(
                new TestArch(
                        "test-base-async",
                        256L << 20,
                        dev.zonedev.api.VmemmapBlockSize.BASE_4K,
                        true),
                2,
                16);
        engine.testing().faults().failAt(VmemmapLevel.PTE, 600);
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 768 * MIB, true));
        assertTrue(
                p.initializer().awaitWorkers(java.time.Duration.ofSeconds(60)),
                "the workers ended");
        assertEquals(1, engine.testing().faults().injected(), "one allocation failed");
        assertEquals(
                MemmapState.IDLE, p.memmapState(), "the workers retried and finished without help");
        assertEquals(0, p.pagesInitializedInForeground());
        assertTrue(p.audit().ok());
        assertFalse(engine.testing().anyVmemmapLockHeld());
    }

    @Test
    void aWorkerThatThrowsIsReportedAndSyncCallersGetAnErrorInsteadOfHanging() throws Exception {
        engine(TestArch.huge(), 1, 8);
        engine.testing().faults().failWorkerAt(2);
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 256 * MIB, true));
        assertTrue(
                p.initializer().awaitWorkers(java.time.Duration.ofSeconds(60)), "the worker ended");
        ZoneDeviceException e = assertThrows(ZoneDeviceException.class, p::sync);
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("injected worker failure"), e.getMessage());
        assertTrue(p.failure() != null, "the pagemap reports the worker's failure");
        assertEquals(MemmapState.ACTIVE, p.memmapState());
        p.close();
        assertEquals(0, p.referenceCount());
        assertTrue(
                engine.failures().failures().stream()
                        .anyMatch(f -> f.contains("injected worker failure")));
    }

    @Test
    void altmapPutsTheMemmapInTheDevicesOwnStorage() {
        engine(TestArch.huge(), 2, 16);
        PhysicalRange range = new PhysicalRange(4 * GIB, 512 * MIB);
        DeviceMemory device = DeviceMemory.anonymous("pmem0", range);
        engine.testing().physicalMemory().register(device);
        long memmapPages = 512 * MIB / 4096 * 64 / 4096;
        VmemAltmap altmap = VmemAltmap.of(range.startPfn(), 2, memmapPages + 512);
        DevicePagemap p =
                engine.memremapPages(new PagemapRequest(range, 0, Optional.of(altmap), true));
        p.sync();
        assertTrue(p.audit().ok());
        assertEquals(range.startPfn() + altmap.offset(), p.firstDevicePfn());
        // The altmap blocks start 2 MiB aligned after the 2-page reserve: at device offsets 2, 4, 6
        // and
        // 8 MiB, one per section, in the order the sections were populated (workers may get to a
        // later
        // section first). The first device page's struct page is in exactly one of them.
        long pfn = p.firstDevicePfn();
        long memmapOffset = (pfn << 6) - ((range.startPfn() << 6) & -(2 * MIB));
        long expected = StructPage.flags(StructPage.baseFlags(0), pfn, 15);
        int holding = 0;
        for (long block = 1; block <= 4; block++) {
            if (device.memory().get(ValueLayout.JAVA_LONG, block * 2 * MIB + memmapOffset)
                    == expected) {
                holding++;
            }
        }
        assertEquals(1, holding, "altmap blocks holding the struct page of pfn " + pfn);
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> p.memmapSync(range.startPfn(), 1));
        assertEquals(ErrorCode.OUT_OF_RANGE, e.code(), "reserved pages are not device pages");
        p.close();
        device.close();
    }

    @Test
    void exhaustedOrInjectedAltmapFailsCleanly() {
        engine(TestArch.huge(), 2, 16);
        PhysicalRange range = new PhysicalRange(4 * GIB, 512 * MIB);
        DeviceMemory device = DeviceMemory.anonymous("pmem1", range);
        engine.testing().physicalMemory().register(device);
        VmemAltmap tooSmall = VmemAltmap.of(range.startPfn(), 0, 100);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () ->
                                engine.memremapPages(
                                        new PagemapRequest(
                                                range, 0, Optional.of(tooSmall), false)));
        assertEquals(
                ErrorCode.INVALID,
                e.code(),
                "refused before anything is added (AltmapBlocks.checkFits)");
        assertTrue(e.getMessage().contains("cannot hold the memmap"), e.getMessage());
        engine.testing().faults().failAt(VmemmapLevel.ALTMAP, 1);
        VmemAltmap enough = VmemAltmap.of(range.startPfn(), 0, 4096);
        e =
                assertThrows(
                        ZoneDeviceException.class,
                        () ->
                                engine.memremapPages(
                                        new PagemapRequest(range, 0, Optional.of(enough), false)));
        assertEquals(ErrorCode.OUT_OF_MEMORY, e.code());
        assertFalse(engine.testing().anyVmemmapLockHeld());
        assertTrue(
                engine.memremapPages(new PagemapRequest(range, 0, Optional.of(enough), false))
                        .audit()
                        .ok());
        engine.close();
        device.close();
    }

    @Test
    void altmapThatDoesNotStartAtTheRangeOrIsLargerIsInvalid() {
        engine(TestArch.huge(), 1, 1);
        PhysicalRange range = new PhysicalRange(4 * GIB, 4 * MIB);
        for (VmemAltmap bad :
                new VmemAltmap[] {
                    VmemAltmap.of(range.startPfn() + 1, 0, 1),
                    VmemAltmap.of(range.startPfn(), 1, range.nrPages())
                }) {
            ZoneDeviceException e =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    engine.memremapPages(
                                            new PagemapRequest(range, 0, Optional.of(bad), true)));
            assertEquals(ErrorCode.INVALID, e.code());
        }
    }

    @Test
    void unknownArchListsTheAvailableOnes() {
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () ->
                                Engine.create(
                                        EngineConfig.defaults()
                                                .withArchInstance(TestArch.huge())
                                                .withArch("sparc")));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("test-huge"), e.getMessage());
    }

    @Test
    void memmapStateAttributeAcceptsOnlySync() {
        engine(TestArch.huge(), 2, 8);
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 64 * MIB, true));
        ZoneDeviceException e = assertThrows(ZoneDeviceException.class, () -> p.write("idle"));
        assertEquals(ErrorCode.INVALID, e.code());
        p.write(" sync\n");
        assertEquals(MemmapState.IDLE, p.memmapState());
    }

    static void assertPageInitialized(DevicePagemap p, long pfn) {
        long off = pfn << 6;
        var memmap = p.initializerMemmap();
        assertEquals(
                p.id(),
                memmap.get(ValueLayout.JAVA_LONG, off + StructPage.PGMAP),
                "pgmap of pfn " + pfn);
        assertEquals(
                StructPage.LIST_POISON2,
                memmap.get(ValueLayout.JAVA_LONG, off + StructPage.LRU_PREV));
        assertEquals(
                StructPage.COUNTS,
                memmap.get(ValueLayout.JAVA_LONG, off + StructPage.MAPCOUNT_REFCOUNT));
    }
}
