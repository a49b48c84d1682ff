package dev.zonedev.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.Arch;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapAsync;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.MemoryHotplug;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.VmemmapBlockSize;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.DeviceMemory;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.VmemmapLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arch conformance kit: extend it, return your {@link Arch} from {@link #arch()}, and JUnit
 * runs every promise of the arch SPI against the real engine. An async add either returns without
 * building the memmap or answers would-block and leaves nothing behind; population is safe under
 * concurrency and allocates each page-table level once; the declared section size is honoured; an
 * injected allocation failure at any level reports out-of-memory and leaves no lock held.
 */
public abstract class ArchConformanceKit {
    protected static final long MIB = 1L << 20;
    protected static final long GIB = 1L << 30;
    private final List<Engine> engines = new ArrayList<>();

    /** A fresh instance of the arch under test. */
    protected abstract Arch arch();

    /**
     * The memmap strategy the engines run ({@link EngineConfig#DEFAULT_STRATEGY} unless
     * overridden), so that the kit can run once per strategy.
     */
    protected String strategy() {
        return EngineConfig.DEFAULT_STRATEGY;
    }

    /** An engine using {@link #arch()}; closed after each test. */
    protected Engine engine(int workers) {
        Engine e =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(4L << 40)
                                .withArchInstance(arch())
                                .withStrategy(strategy())
                                .withWorkers(workers));
        engines.add(e);
        return e;
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
    }

    private static PagemapRequest request(long start, long size, boolean async) {
        return new PagemapRequest(new PhysicalRange(start, size), 0, Optional.empty(), async);
    }

    @Test
    void passesTheApiHandshake() {
        HandshakeCheck.assertAccepted("arch", arch());
    }

    @Test
    void declaresAUsableSectionSizeAndBlockSize() {
        long size = arch().sectionSize();
        assertEquals(1, Long.bitCount(size), "section size is a power of two");
        assertTrue(size >= 128 * MIB, "section size is at least 128 MiB");
        assertTrue(arch().vmemmapBlockSize() != null);
        assertFalse(arch().name().isBlank());
        assertEquals(arch().name().toLowerCase(Locale.ROOT), arch().name(), "names are lower case");
    }

    @Test
    void asyncAddIsPassedOnOrRefusedWithWouldBlockAndNothingElse() {
        MemoryHotplug hotplug = mock(MemoryHotplug.class);
        AddMemoryRequest request =
                new AddMemoryRequest(
                        0,
                        new PhysicalRange(4 * GIB, arch().sectionSize()),
                        Optional.empty(),
                        Optional.of(mock(MemmapAsync.class)));
        try {
            arch().addMemory(request, hotplug);
            verify(hotplug)
                    .addPages(
                            argThat(
                                    r ->
                                            r.async().isPresent()
                                                    && r.range().equals(request.range())));
        } catch (ZoneDeviceException e) {
            assertEquals(ErrorCode.WOULD_BLOCK, e.code(), e.getMessage());
            verifyNoInteractions(hotplug);
        }
    }

    @Test
    void asyncAddReturnsBeforeTheMemmapIsBuiltOrFallsBackToTheSameEndState() {
        Engine engine = engine(2);
        engine.testing().backgroundGate().hold();
        DevicePagemap p = engine.memremapPages(request(4 * GIB, 2 * arch().sectionSize(), true));
        if (p.async()) {
            assertEquals(MemmapState.ACTIVE, p.memmapState());
            assertEquals(
                    0, p.pagesInitializedByWorkers(), "nothing built while the background is held");
            engine.testing().backgroundGate().release();
            p.sync();
        } else {
            assertEquals(
                    MemmapState.IDLE,
                    p.memmapState(),
                    "a would-block fallback returns fully built");
        }
        assertTrue(p.audit().ok());
    }

    @Test
    void theDeclaredSectionSizeIsHonoured(@TempDir Path dir) throws Exception {
        long section = arch().sectionSize();
        Path file = dir.resolve("sections.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.zonedev.VmemmapPopulate").withThreshold(java.time.Duration.ZERO);
            recording.start();
            Engine engine = engine(2);
            // From 2 MiB before a section boundary to 2 MiB after the next one: three sections.
            engine.memremapPages(request(8 * section - 2 * MIB, section + 4 * MIB, false));
            recording.stop();
            recording.dump(file);
        }
        long sections =
                RecordingFile.readAllEvents(file).stream()
                        .filter(
                                e ->
                                        e.getEventType()
                                                .getName()
                                                .equals("dev.zonedev.VmemmapPopulate"))
                        .count();
        assertEquals(3, sections, "the range touches three sections of " + section + " bytes");
        Engine engine = engine(2);
        DevicePagemap p = engine.memremapPages(request(8 * section, section, true));
        engine.testing().backgroundGate().hold();
        if (p.async() && p.foregroundSync()) {
            p.memmapSync(p.firstDevicePfn() + 7, 1);
            assertTrue(
                    p.pagesInitializedInForeground() <= section / 4096,
                    "one page costs at most a section");
        }
    }

    @Test
    void concurrentPopulationAllocatesEachLevelOnce() throws Exception {
        Engine engine = engine(2);
        long section = arch().sectionSize();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<DevicePagemap>> added = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long base = 16 * GIB + t * section;
                added.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return engine.memremapPages(request(base, section, false));
                                }));
            }
            start.countDown();
            for (Future<DevicePagemap> f : added) {
                assertTrue(f.get(120, TimeUnit.SECONDS).audit().ok());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, engine.testing().vmemmapAllocations(VmemmapLevel.PGD));
        assertEquals(1, engine.testing().vmemmapAllocations(VmemmapLevel.P4D));
        assertEquals(
                1,
                engine.testing().vmemmapAllocations(VmemmapLevel.PUD),
                "all sections share one pmd table");
        long memmapBytes = threads * section / 4096 * 64;
        long expectedPmd =
                arch().vmemmapBlockSize() == VmemmapBlockSize.HUGE_2M
                        ? memmapBytes / (2 * MIB)
                        : memmapBytes / (2 * MIB);
        assertEquals(expectedPmd, engine.testing().vmemmapAllocations(VmemmapLevel.PMD));
        assertFalse(engine.testing().anyVmemmapLockHeld());
    }

    @Test
    void injectedAllocationFailureAtEveryLevelLeavesNoLockHeld(@TempDir Path dir) {
        List<VmemmapLevel> levels =
                new ArrayList<>(
                        List.of(
                                VmemmapLevel.PGD,
                                VmemmapLevel.P4D,
                                VmemmapLevel.PUD,
                                VmemmapLevel.PMD,
                                VmemmapLevel.ALTMAP));
        if (arch().vmemmapBlockSize() == VmemmapBlockSize.BASE_4K) {
            levels.add(VmemmapLevel.PTE);
        }
        for (VmemmapLevel level : levels) {
            Engine engine = engine(2);
            PhysicalRange range = new PhysicalRange(4 * GIB, arch().sectionSize());
            DeviceMemory device = DeviceMemory.anonymous("kit-" + level, range);
            try {
                engine.testing().physicalMemory().register(device);
                VmemAltmap altmap = VmemAltmap.of(range.startPfn(), 0, range.nrPages() / 32);
                PagemapRequest req = new PagemapRequest(range, 0, Optional.of(altmap), false);
                engine.testing().faults().failAt(level, 0);
                ZoneDeviceException e =
                        assertThrows(
                                ZoneDeviceException.class,
                                () -> engine.memremapPages(req),
                                "failure at " + level);
                assertEquals(ErrorCode.OUT_OF_MEMORY, e.code(), level + ": " + e.getMessage());
                assertFalse(
                        engine.testing().anyVmemmapLockHeld(),
                        "a lock stayed held after a failure at " + level);
                DevicePagemap p = engine.memremapPages(req);
                assertTrue(
                        p.audit().ok(),
                        "a later add at the same range works after a failure at " + level);
                p.close();
            } finally {
                engine.close();
                device.close();
            }
        }
    }
}
