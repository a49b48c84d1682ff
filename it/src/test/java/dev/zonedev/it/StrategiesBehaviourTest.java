package dev.zonedev.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.core.DeviceMemory;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.SubRangeLog;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What sets the shipped strategies apart: {@code upstream}'s pfn requests wait for its one pass,
 * and padata's dynamic chunks route work around a slow worker where the seed's static slices leave
 * it its whole slice.
 */
class StrategiesBehaviourTest {
    private static final long GIB = 1L << 30;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private Engine engine;
    private DeviceMemory memory;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        if (memory != null) {
            memory.close();
        }
    }

    @Test
    void upstreamAPfnRequestBeforeThePassEndsWaitsForThePassAndSaysSoInJfr(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("upstream.jfr");
        DevicePagemap p;
        try (Recording recording = new Recording()) {
            recording.enable("dev.zonedev.MemmapPassWait").withThreshold(Duration.ZERO);
            recording.start();
            engine =
                    Engine.create(
                            EngineConfig.defaults()
                                    .withMaxPhysicalBytes(1L << 40)
                                    .withStrategy("upstream")
                                    .withWorkers(4));
            engine.testing().backgroundGate().holdWorker(0); // upstream's one worker
            PhysicalRange range = new PhysicalRange(4 * GIB, GIB);
            memory = DeviceMemory.anonymous("upstream", range);
            engine.testing().physicalMemory().register(memory);
            p = engine.memremapPages(new PagemapRequest(range, 0, Optional.empty(), true));
            DevicePagemap pagemap = p;
            long last = p.range().endPfn() - 1;
            AtomicReference<Thread> requester = new AtomicReference<>();
            CompletableFuture<Void> request =
                    CompletableFuture.runAsync(
                            () -> {
                                requester.set(Thread.currentThread());
                                pagemap.memmapSync(last, 1);
                            });
            awaitTrue(
                    () ->
                            requester.get() != null
                                    && requester.get().getState() == Thread.State.WAITING);
            assertFalse(request.isDone(), "no pfn before the pass ends");
            engine.testing().backgroundGate().releaseWorker();
            request.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(MemmapState.IDLE, p.memmapState(), "the request waited for the pass");
            recording.stop();
            recording.dump(file);
        }
        assertEquals(0, p.pagesInitializedInForeground(), "upstream has no foreground sync");
        SubRangeLog log = p.subRangeLog();
        for (int i = 0; i < log.size(); i++) {
            assertEquals(0, log.initializedBy()[i], "one thread: worker 0 did unit " + i);
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
        assertEquals("upstream", waits.getFirst().getString("strategy"));
    }

    /**
     * Worker 1 is held before its first unit (a slow worker, made deterministic) until the others
     * have done all they are going to do. padata's others take every chunk but the one worker 1
     * took; the seed's static slices leave worker 1 its whole slice.
     */
    @ParameterizedTest
    @ValueSource(strings = {"seed", "padata", "seed+padata"})
    void aSlowWorkerKeepsItsWholeSliceUnderTheSeedButOneChunkUnderPadata(String strategy) {
        int workers = 4;
        long bytes = 4 * GIB; // 1 Mi pages, 32 sections of 128 MiB
        long pages = bytes / 4096;
        long section = (128L << 20) / 4096;
        long chunk = Math.max(pages / (4L * workers), section); // padata: 2 sections
        long slice = pages / workers; // the seed: a quarter each
        DevicePagemap p;
        Engine e =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withStrategy(strategy)
                                .withWorkers(workers)
                                .withRangesPerWorker(32));
        engine = e;
        e.testing()
                .backgroundGate()
                .holdWorker(1); // worker 1 of every pagemap, before its next unit
        PhysicalRange range = new PhysicalRange(4 * GIB, bytes);
        memory = DeviceMemory.anonymous("slow", range);
        e.testing().physicalMemory().register(memory);
        p = e.memremapPages(new PagemapRequest(range, 0, Optional.empty(), true));
        boolean dynamic = !strategy.equals("seed");
        long leftForTheSlowOne = dynamic ? chunk : slice;
        DevicePagemap pagemap = p;
        awaitTrue(() -> pagemap.pagesInitializedByWorkers() >= pages - leftForTheSlowOne);
        e.testing().backgroundGate().releaseWorker();
        assertTrue(p.awaitIdle(WAIT));
        SubRangeLog log = p.subRangeLog();
        long bySlow = 0;
        for (int i = 0; i < log.size(); i++) {
            bySlow += log.initializedBy()[i] == 1 ? log.pages(i) : 0;
        }
        if (dynamic) {
            assertTrue(
                    bySlow <= chunk,
                    strategy + ": the slow worker did " + bySlow + " pages, more than one chunk");
        } else {
            assertEquals(slice, bySlow, "the seed's slow worker did its whole slice");
        }
        assertEquals(0, p.pagesInitializedInForeground());
        assertEquals(0, log.notExactlyOnce());
        assertTrue(p.audit().ok());
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
