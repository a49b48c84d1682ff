package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.MemmapState;
import dev.zonedev.api.MemmapWork;
import dev.zonedev.api.MemmapWorker;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine guarantees whatever a strategy does: a pfn request of a strategy without
 * foreground sync waits for the pass (and says so in JFR), a strategy that starts nothing or throws
 * leaves its work to the foreground, and a worker handle cannot be used outside its body.
 */
class StrategyWorkTest {
    private static final long GIB = 1L << 30;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private Engine engine;

    @AfterEach
    void close() {
        TestStrategies.Scripted.script = work -> {};
        TestStrategies.Scripted.foreground = true;
        if (engine != null) {
            engine.close();
        }
    }

    private DevicePagemap add(String strategy, boolean async) {
        engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge())
                                .withStrategy(strategy)
                                .withWorkers(2)
                                .withRangesPerWorker(8));
        return engine.memremapPages(
                new PagemapRequest(new PhysicalRange(4 * GIB, GIB), 0, Optional.empty(), async));
    }

    @Test
    void aPfnRequestBeforeThePassEndsWaitsForThePassAndSaysSoInJfr(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("pass.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.zonedev.MemmapPassWait").withThreshold(Duration.ZERO);
            recording.start();
            engine =
                    Engine.create(
                            EngineConfig.defaults()
                                    .withMaxPhysicalBytes(1L << 40)
                                    .withArchInstance(TestArch.huge())
                                    .withStrategy("test-pass"));
            engine.testing().backgroundGate().holdWorker(0); // the pass's one worker
            DevicePagemap p =
                    engine.memremapPages(
                            new PagemapRequest(
                                    new PhysicalRange(4 * GIB, GIB), 0, Optional.empty(), true));
            AtomicReference<Thread> requester = new AtomicReference<>();
            long pfn = p.firstDevicePfn() + 1000;
            CompletableFuture<Void> request =
                    CompletableFuture.runAsync(
                            () -> {
                                requester.set(Thread.currentThread());
                                p.memmapSync(pfn, 1);
                            });
            awaitTrue(
                    () ->
                            requester.get() != null
                                    && requester.get().getState() == Thread.State.WAITING);
            assertFalse(request.isDone());
            assertEquals(0, p.pagesInitializedByWorkers(), "the pass is held");
            engine.testing().backgroundGate().releaseWorker();
            request.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(MemmapState.IDLE, p.memmapState(), "it waited for the whole pass");
            assertEquals(0, p.pagesInitializedInForeground());
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> waits =
                RecordingFile.readAllEvents(file).stream()
                        .filter(
                                e ->
                                        e.getEventType()
                                                .getName()
                                                .equals("dev.zonedev.MemmapPassWait"))
                        .toList();
        assertEquals(1, waits.size(), waits.toString());
        assertEquals("test-pass", waits.getFirst().getString("strategy"));
    }

    @Test
    void aPfnRequestThatWouldWaitForAPassTheGateHoldsFailsAtOnce() {
        engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge())
                                .withStrategy("test-pass"));
        engine.testing().backgroundGate().hold();
        DevicePagemap p =
                engine.memremapPages(
                        new PagemapRequest(
                                new PhysicalRange(4 * GIB, GIB), 0, Optional.empty(), true));
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> p.memmapSync(p.firstDevicePfn(), 1));
        assertEquals(dev.zonedev.api.ErrorCode.BUSY, e.code());
        assertTrue(e.getMessage().contains("background gate holds back"), e.getMessage());
        assertEquals(0, p.pagesInitializedInForeground());
        engine.testing().backgroundGate().release();
        p.memmapSync(p.firstDevicePfn(), 1);
        assertEquals(MemmapState.IDLE, p.memmapState());
    }

    @Test
    void aStrategyThatStartsNothingLeavesEverythingToTheForeground() {
        DevicePagemap p = add("test-none", true);
        assertEquals(MemmapState.ACTIVE, p.memmapState());
        p.memmapSync(p.firstDevicePfn() + 77, 1);
        assertTrue(p.isPageInitialized(p.firstDevicePfn() + 77));
        p.sync();
        assertEquals(0, p.pagesInitializedByWorkers());
        assertTrue(p.audit().ok());
        engine.close();
        DevicePagemap sync = add("test-none", false);
        assertEquals(MemmapState.IDLE, sync.memmapState(), "a synchronous add ends complete");
        assertTrue(sync.audit().ok());
    }

    @Test
    void whatAStrategyThrowsIsItsFailureAndASyncHeals() {
        TestStrategies.Scripted.script =
                work -> {
                    throw new IllegalStateException("broken strategy");
                };
        DevicePagemap p = add("test-scripted", true);
        assertInstanceOf(IllegalStateException.class, p.failure());
        p.sync();
        assertNull(p.failure(), "healed");
        assertTrue(p.audit().ok());
    }

    @Test
    void aWorkerHandleServesOnlyItsOwnBodyWhileItRuns() throws Exception {
        AtomicReference<MemmapWorker> leaked = new AtomicReference<>();
        AtomicReference<MemmapWork> work = new AtomicReference<>();
        AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
        TestStrategies.Scripted.script =
                w -> {
                    work.set(w);
                    w.startWorker(
                            worker -> {
                                leaked.set(worker);
                                Thread other =
                                        new Thread(
                                                () -> {
                                                    try {
                                                        worker.claimAndInitialize(0);
                                                    } catch (Throwable t) {
                                                        fromOtherThread.set(t);
                                                    }
                                                });
                                other.start();
                                try {
                                    other.join();
                                } catch (InterruptedException e) {
                                    throw new AssertionError(e);
                                }
                                for (int i = 0; i < w.units(); i++) {
                                    worker.claimAndInitialize(i);
                                }
                            });
                };
        DevicePagemap p = add("test-scripted", true);
        assertTrue(p.awaitIdle(WAIT));
        assertTrue(p.initializer().awaitWorkers(WAIT), "the body returned");
        assertInstanceOf(IllegalStateException.class, fromOtherThread.get());
        assertThrows(IllegalStateException.class, () -> leaked.get().claimAndInitialize(0));
        assertFalse(work.get().startWorker(w -> {}), "no worker once every worker has ended");
        assertTrue(p.audit().ok());
        assertEquals(1, p.initializer().workersStarted());
    }

    @Test
    void aUnitOutOfRangeEndsTheWorkerWithANamedFailure() throws Exception {
        TestStrategies.Scripted.foreground = false;
        TestStrategies.Scripted.script =
                w -> w.startWorker(worker -> worker.claimAndInitialize(w.units()));
        DevicePagemap p = add("test-scripted", true);
        assertTrue(p.initializer().awaitWorkers(WAIT));
        assertInstanceOf(ZoneDeviceException.class, p.failure());
        p.sync(); // the pass has ended: initializes what the strategy left
        String logged = engine.failures().failures().toString();
        assertTrue(logged.contains("EINVAL") || logged.contains("INVALID"), logged);
        assertTrue(logged.contains("accepted: 0 to "), logged);
        assertTrue(p.audit().ok());
        assertEquals(0, p.pagesInitializedByWorkers());
    }

    @Test
    void noWorkerStartsOnceThePagemapIsStopping() {
        AtomicReference<MemmapWork> work = new AtomicReference<>();
        TestStrategies.Scripted.script = work::set;
        DevicePagemap p = add("test-scripted", true);
        p.close();
        assertFalse(work.get().startWorker(w -> {}));
        assertTrue(work.get().stopping());
        assertNotNull(work.get());
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting");
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
