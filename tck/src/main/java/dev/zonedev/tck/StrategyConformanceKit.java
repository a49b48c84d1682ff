package dev.zonedev.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.DeviceMemory;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.SubRangeLog;
import dev.zonedev.core.VmemmapLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The memmap strategy conformance kit: extend it, return your {@link MemmapStrategy} from {@link
 * #strategy()} (registered with {@code @AutoService}, so that the engine finds it by name), and
 * JUnit runs the engine's promises with your strategy deciding who initializes what: every struct
 * page exactly once for any cut of the pages and any worker count, the work finished by the
 * strategy's own workers, no pfn before its struct pages, foreground sync or a wait for the pass as
 * the strategy declares, teardown at random moments, injected allocation and worker failures, and
 * the audit after each.
 */
public abstract class StrategyConformanceKit {
    protected static final long MIB = 1L << 20;
    protected static final long GIB = 1L << 30;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private final List<Engine> engines = new ArrayList<>();
    private final List<DeviceMemory> memories = new ArrayList<>();

    /** A fresh instance of the strategy under test. */
    protected abstract MemmapStrategy strategy();

    /** An engine on x86_64 running {@link #strategy()} with {@code workers} workers. */
    protected Engine engine(int workers, int rangesPerWorker) {
        Engine e =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withStrategy(strategy().name())
                                .withWorkers(workers)
                                .withRangesPerWorker(rangesPerWorker));
        engines.add(e);
        return e;
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
        memories.forEach(DeviceMemory::close);
    }

    /** Registers anonymous memory at {@code [start, start + size)} and adds it. */
    private DevicePagemap add(Engine engine, long start, long size, boolean async) {
        PhysicalRange range = new PhysicalRange(start, size);
        DeviceMemory memory = DeviceMemory.anonymous("kit-" + start, range);
        memories.add(memory);
        engine.testing().physicalMemory().register(memory);
        return engine.memremapPages(new PagemapRequest(range, 0, Optional.empty(), async));
    }

    @Test
    void passesTheApiHandshakeAndIsFoundByName() {
        MemmapStrategy s = strategy();
        HandshakeCheck.assertAccepted("strategy", s);
        assertFalse(s.name().isBlank());
        assertEquals(s.name().toLowerCase(Locale.ROOT), s.name(), "names are lower case");
        assertNotNull(s.availability(), "availability()");
        assertEquals(s.foregroundSync(), strategy().foregroundSync(), "a constant");
        assertTrue(
                ServiceLoader.load(MemmapStrategy.class).stream()
                        .anyMatch(p -> p.type() == s.getClass()),
                "registered as a MemmapStrategy service (@AutoService)");
    }

    @ParameterizedTest(name = "{0} workers, {1} ranges each, {2} MiB")
    @CsvSource({"1,1,130", "1,128,512", "2,3,1030", "3,7,768", "5,128,2054", "8,1,258"})
    void itsOwnWorkersInitializeEveryPageExactlyOnce(int workers, int ranges, long mib) {
        Engine engine = engine(workers, ranges);
        DevicePagemap p = add(engine, 4 * GIB, mib * MIB, true);
        assertTrue(p.awaitIdle(WAIT), "the strategy's workers finished the memmap by themselves");
        assertEquals(0, p.pagesInitializedInForeground(), "nobody asked in the foreground");
        assertEquals(mib * MIB / 4096, p.pagesInitializedByWorkers());
        assertAudited(p);
    }

    @Test
    void aSynchronousAddEndsFullyInitialized() {
        Engine engine = engine(3, 16);
        DevicePagemap p = add(engine, 4 * GIB, 1 * GIB, false);
        assertFalse(p.async());
        assertEquals(MemmapState.IDLE, p.memmapState(), "a synchronous add returns fully built");
        assertAudited(p);
    }

    @Test
    void noPfnBeforeItsStructPagesUnderConcurrentRequests() throws Exception {
        Engine engine = engine(2, 64);
        DevicePagemap p = add(engine, 4 * GIB, 2 * GIB, true);
        long first = p.firstDevicePfn();
        long pages = p.range().endPfn() - first;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Random random = new Random(t);
                futures.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    for (int i = 0; i < 50; i++) {
                                        long pfn = first + (long) (random.nextDouble() * pages);
                                        long n =
                                                Math.min(
                                                        1 + random.nextInt(1024),
                                                        first + pages - pfn);
                                        p.memmapSync(pfn, n);
                                        assertTrue(p.isPageInitialized(pfn), "pfn " + pfn);
                                        assertTrue(p.isPageInitialized(pfn + n - 1), "pfn end");
                                    }
                                    return null;
                                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        p.sync();
        assertAudited(p);
    }

    @Test
    void aPfnRequestIsServedInTheForegroundOrWaitsForThePassAsDeclared() throws Exception {
        Engine engine = engine(2, 32);
        engine.testing().backgroundGate().hold();
        DevicePagemap p = add(engine, 4 * GIB, 1 * GIB, true);
        assertEquals(strategy().foregroundSync(), p.foregroundSync());
        assertEquals(strategy().availability(), p.availability());
        long pfn = p.firstDevicePfn() + 12345;
        if (p.foregroundSync()) {
            p.memmapSync(pfn, 1); // returns while the background is held
            assertTrue(p.isPageInitialized(pfn));
            assertTrue(p.pagesInitializedInForeground() > 0, "initialized in the foreground");
            engine.testing().backgroundGate().release();
        } else {
            ZoneDeviceException busy =
                    assertThrows(ZoneDeviceException.class, () -> p.memmapSync(pfn, 1));
            assertEquals(ErrorCode.BUSY, busy.code(), "the held pass is named, not waited for");
            assertFalse(p.isPageInitialized(pfn), "no pfn before the pass");
            engine.testing().backgroundGate().release();
            p.memmapSync(pfn, 1);
            assertEquals(
                    MemmapState.IDLE,
                    p.memmapState(),
                    "a pfn request returns only once the whole pass has ended");
            assertEquals(0, p.pagesInitializedInForeground(), "nothing in the foreground");
        }
        p.sync();
        assertAudited(p);
    }

    @Test
    void teardownAtRandomMomentsLeavesNothingBehind() throws Exception {
        Random random = new Random(42);
        Engine engine = engine(3, 16);
        for (int round = 0; round < 6; round++) {
            long start = (4 + round) * GIB;
            DevicePagemap p = add(engine, start, 1 * GIB, true);
            long target = (long) (random.nextDouble() * p.range().nrPages());
            CompletableFuture<Void> requests =
                    CompletableFuture.runAsync(() -> requestUntilTornDown(p, random.nextLong()));
            awaitTrue(
                    () ->
                            p.pagesInitializedByWorkers() + p.pagesInitializedInForeground()
                                            >= target
                                    || p.memmapState() == MemmapState.IDLE,
                    "progress to the random moment");
            p.close();
            assertTrue(p.closed(), "torn down");
            assertEquals(0, p.referenceCount(), "every pgmap reference returned");
            requests.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertFalse(engine.testing().anyVmemmapLockHeld());
        }
        DevicePagemap again =
                engine.memremapPages(
                        new PagemapRequest(
                                new PhysicalRange(4 * GIB, 1 * GIB), 0, Optional.empty(), true));
        again.sync();
        assertAudited(again);
    }

    /** pfn requests until the pagemap is torn down; each pfn returned is initialized. */
    private static void requestUntilTornDown(DevicePagemap p, long seed) {
        Random random = new Random(seed);
        long pages = p.range().endPfn() - p.firstDevicePfn();
        while (true) {
            long pfn = p.firstDevicePfn() + (long) (random.nextDouble() * pages);
            try {
                p.memmapSync(pfn, 1);
                if (!p.isPageInitialized(pfn)) {
                    throw new AssertionError("pfn " + pfn + " returned uninitialized");
                }
            } catch (ZoneDeviceException e) {
                if (e.code() != ErrorCode.NO_DEVICE) {
                    throw e;
                }
                return;
            }
        }
    }

    @Test
    void anInjectedAllocationFailureIsRetriedOrHealedByASync() {
        for (VmemmapLevel level : List.of(VmemmapLevel.PMD, VmemmapLevel.ALTMAP)) {
            Engine engine = engine(2, 8);
            PhysicalRange range = new PhysicalRange(8 * GIB, 1 * GIB);
            DeviceMemory memory = DeviceMemory.anonymous("kit-fail-" + level, range);
            memories.add(memory);
            engine.testing().physicalMemory().register(memory);
            VmemAltmap altmap = VmemAltmap.of(range.startPfn(), 0, range.nrPages() / 32);
            engine.testing().faults().failAt(level, 3);
            DevicePagemap p;
            try {
                p = engine.memremapPages(new PagemapRequest(range, 0, Optional.of(altmap), true));
            } catch (ZoneDeviceException e) {
                assertEquals(ErrorCode.OUT_OF_MEMORY, e.code(), e.getMessage());
                assertFalse(engine.testing().anyVmemmapLockHeld());
                p = engine.memremapPages(new PagemapRequest(range, 0, Optional.of(altmap), true));
            }
            try {
                p.sync();
            } catch (ZoneDeviceException e) {
                // the injected failure may land in the foreground: reported there, and once only
                assertEquals(ErrorCode.OUT_OF_MEMORY, e.code(), e.getMessage());
                p.sync();
            }
            assertEquals(
                    1,
                    engine.testing().faults().injected(),
                    "the failure was injected at " + level);
            assertFalse(
                    engine.testing().anyVmemmapLockHeld(),
                    "no lock held after a failure at " + level);
            assertAudited(p);
        }
    }

    @Test
    void aWorkerFailingToWriteItsPagesIsReportedNotHung() {
        Engine engine = engine(2, 16);
        engine.testing().faults().failWorkerAt(5);
        DevicePagemap p = add(engine, 4 * GIB, 1 * GIB, true);
        assertFalse(p.awaitIdle(WAIT), "a unit that failed keeps the memmap from idle");
        assertNotNull(p.failure(), "the worker's failure is reported");
        ZoneDeviceException e = assertThrows(ZoneDeviceException.class, p::sync);
        assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
        assertEquals(1, engine.testing().faults().injected());
        SubRangeLog log = p.subRangeLog();
        int notDone = 0;
        for (int i = 0; i < log.size(); i++) {
            assertTrue(log.initCount()[i] <= 1, "unit " + i + " initialized twice");
            notDone += log.initCount()[i] == 0 ? 1 : 0;
        }
        assertTrue(notDone >= 1, "the failed unit is not done");
    }

    private static void assertAudited(DevicePagemap p) {
        var audit = p.audit();
        assertTrue(audit.ok(), "audit: " + audit);
        SubRangeLog log = p.subRangeLog();
        assertEquals(0, log.notExactlyOnce(), "every unit exactly once");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting: " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
