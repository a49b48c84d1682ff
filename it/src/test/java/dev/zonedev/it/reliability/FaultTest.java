package dev.zonedev.it.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.core.DeviceMemory;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.core.VmemmapLevel;
import dev.zonedev.driver.devdax.DevDaxNamespace;
import dev.zonedev.driver.pmem.PmemNamespace;
import dev.zonedev.it.reliability.Reliability.Run;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults: an allocation failure injected at every vmemmap level and in the altmap during async and
 * sync adds (invariant 6); teardown at random moments of initialization (invariant 7); a background
 * worker that throws; and a restart after an unclean stop of a file-backed namespace, whose first
 * life runs in a child JVM killed without closing.
 */
@ExtendWith(Reliability.class)
class FaultTest {
    private static final long MIB = Targets.MIB;
    private static final long GIB = 1L << 30;
    private static final int[] WORKERS = {1, 2, 8, 64};
    private static final int[] RANGES = {1, 7, 128, 1024};
    private static final String[] STRATEGIES = {"seed", "upstream", "padata", "seed+padata"};

    @TempDir Path dir;

    static Stream<Arguments> levels() {
        List<Arguments> all = new ArrayList<>();
        for (String arch : new String[] {"x86_64", "generic"}) {
            for (VmemmapLevel level : VmemmapLevel.values()) {
                if (level == VmemmapLevel.PTE && arch.equals("x86_64")) {
                    continue; // 2 MiB blocks: no pte allocation to fail
                }
                all.add(Arguments.of(arch, level, true));
                all.add(Arguments.of(arch, level, false));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}, async={2}")
    @MethodSource("levels")
    void anAllocationFailureReportsOutOfMemoryLeavesNoLockAndCanBeRetried(
            String arch, VmemmapLevel level, boolean async, Run run) {
        Random random = run.random();
        Engine engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withArch(arch)
                                .withStrategy(STRATEGIES[random.nextInt(STRATEGIES.length)])
                                .withWorkers(WORKERS[random.nextInt(WORKERS.length)])
                                .withRangesPerWorker(RANGES[random.nextInt(4)]));
        PhysicalRange range =
                new PhysicalRange(4 * GIB, 134 * MIB); // two sections, 6 MiB into the second
        DeviceMemory device = DeviceMemory.anonymous("fault-" + level, range);
        try {
            engine.testing().physicalMemory().register(device);
            boolean useAltmap = level == VmemmapLevel.ALTMAP || random.nextBoolean();
            Optional<VmemAltmap> altmap =
                    useAltmap
                            ? Optional.of(VmemAltmap.of(range.startPfn(), 2, range.nrPages() / 16))
                            : Optional.empty();
            boolean huge = arch.equals("x86_64");
            int skip =
                    switch (level) {
                        case PGD, P4D, PUD -> 0; // one table each on a fresh engine
                        case PMD -> random.nextInt(2); // two blocks or pte tables, one per section
                        case PTE -> random.nextInt(500);
                        case ALTMAP -> random.nextInt(huge ? 2 : 500);
                    };
            PagemapRequest request = new PagemapRequest(range, 0, altmap, async);
            long before = engine.testing().faults().injected();
            int reportedBefore = engine.failures().failures().size();
            engine.testing().faults().failAt(level, skip);
            DevicePagemap pagemap;
            try {
                pagemap =
                        Waits.within(
                                Waits.HANG,
                                "memremapPages with a failure at " + level,
                                () -> engine.memremapPages(request));
            } catch (ZoneDeviceException e) {
                assertEquals(ErrorCode.OUT_OF_MEMORY, e.code(), e.getMessage());
                assertTrue(
                        e.getMessage().contains("injected")
                                && e.getMessage().contains(level.name()),
                        "the message names the level: " + e.getMessage());
                assertEquals(before + 1, engine.testing().faults().injected());
                assertFalse(
                        engine.testing().anyVmemmapLockHeld(),
                        "a lock stayed held after a failure at " + level);
                assertEquals(
                        Optional.empty(),
                        engine.memremap().pagemapOf(range.startPfn()),
                        "nothing stays added");
                DevicePagemap again =
                        Waits.within(Waits.HANG, "retry", () -> engine.memremapPages(request));
                Waits.within(Waits.HANG, "sync", again::sync);
                assertTrue(again.audit().ok());
                run.pagesVerified(again.audit().pagesChecked());
                again.close();
                run.faults(1);
                run.scenario();
                return;
            }
            assertTrue(
                    pagemap.async(),
                    "a synchronous add with an injected failure at " + level + " succeeded");
            long firstDevice = pagemap.firstDevicePfn();
            long devicePages = range.endPfn() - firstDevice;
            AtomicLong callersSawOom = new AtomicLong();
            List<Random> randoms = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                randoms.add(run.forkRandom());
            }
            Waits.concurrently(
                    4,
                    Waits.HANG,
                    "memmapSync after a failure at " + level,
                    t -> {
                        Random r = randoms.get(t);
                        for (int i = 0; i < 40; i++) {
                            long off = r.nextLong(devicePages);
                            long n = 1 + r.nextLong(Math.min(devicePages - off, 2048));
                            try {
                                pagemap.memmapSync(firstDevice + off, n);
                            } catch (ZoneDeviceException e) {
                                if (e.code() != ErrorCode.OUT_OF_MEMORY) {
                                    throw e;
                                }
                                callersSawOom.incrementAndGet();
                            }
                        }
                    });
            for (int attempt = 0; ; attempt++) {
                try {
                    Waits.within(Waits.HANG, "sync after a failure at " + level, pagemap::sync);
                    break;
                } catch (ZoneDeviceException e) {
                    if (e.code() != ErrorCode.OUT_OF_MEMORY || attempt > 0) {
                        throw e;
                    }
                    callersSawOom.incrementAndGet();
                }
            }
            assertEquals(
                    before + 1,
                    engine.testing().faults().injected(),
                    "the armed failure fired once");
            // A worker that hits it reports it in the engine's failure log and retries the
            // sub-range itself.
            assertTrue(
                    callersSawOom.get() > 0
                            || pagemap.failure() != null
                            || engine.failures().failures().size() > reportedBefore,
                    "the failure at "
                            + level
                            + " was reported to a caller, by the pagemap or in the failure log");
            assertFalse(
                    engine.testing().anyVmemmapLockHeld(),
                    "a lock stayed held after a failure at " + level);
            assertTrue(
                    pagemap.audit().ok(),
                    "audit after a failure at " + level + ": " + pagemap.audit());
            run.pagesVerified(pagemap.audit().pagesChecked());
            Waits.within(Waits.HANG, "teardown", pagemap::close);
            assertEquals(0, pagemap.referenceCount());
            run.faults(1);
            run.scenario();
        } finally {
            engine.testing().faults().reset();
            engine.close();
            device.close();
        }
    }

    @Test
    void teardownAtRandomMomentsLeavesNoReferenceAndRefusesLaterCalls(Run run) {
        Random random = run.random();
        for (int round = 0; round < 24; round++) {
            String arch = random.nextBoolean() ? "x86_64" : "generic";
            try (Platform platform =
                    Targets.platform(
                            arch,
                            STRATEGIES[random.nextInt(STRATEGIES.length)],
                            WORKERS[random.nextInt(4)],
                            RANGES[random.nextInt(4)])) {
                // a held gate fails the pfn requests of a strategy without foreground sync
                // (EBUSY): held only where consumers are served while it is
                if (random.nextBoolean() && platform.engine().strategy().foregroundSync()) {
                    platform.engine().testing().backgroundGate().hold();
                }
                long[] sizes = {2, 6, 10, 34, 130};
                boolean dax = random.nextBoolean();
                long size = sizes[random.nextInt(sizes.length)] * MIB;
                NamespaceSpec spec =
                        NamespaceSpec.of(
                                        "victim",
                                        size,
                                        dax ? NamespaceMode.DEVDAX : NamespaceMode.FSDAX)
                                .withAlign(4096)
                                .withOption(
                                        "map",
                                        size >= 10 * MIB && random.nextBoolean() ? "dev" : "mem");
                final Targets victim = Targets.of(platform, platform.create(spec));
                DevicePagemap pagemap = victim.pagemap();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong refused = new AtomicLong();
                AtomicLong ops = new AtomicLong();
                List<Random> randoms = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    randoms.add(run.forkRandom());
                }
                Thread consumers =
                        Thread.ofPlatform()
                                .daemon()
                                .start(
                                        () ->
                                                Waits.concurrently(
                                                        4,
                                                        Waits.HANG,
                                                        "consumers during teardown",
                                                        t ->
                                                                consume(
                                                                        victim,
                                                                        randoms.get(t),
                                                                        stop,
                                                                        refused,
                                                                        ops)));
                int action = random.nextInt(3);
                sleepMicros(random.nextInt(3000));
                if (random.nextBoolean()) {
                    platform.engine().testing().backgroundGate().release();
                }
                Waits.within(
                        Waits.HANG,
                        "teardown (action " + action + ")",
                        () -> {
                            switch (action) {
                                case 0 -> platform.destroy("victim");
                                case 1 -> platform.disable("victim");
                                default -> pagemap.close();
                            }
                        });
                assertTrue(pagemap.closed(), "teardown finished");
                assertEquals(0, pagemap.referenceCount(), "pgmap references back to zero");
                assertFalse(platform.engine().memremap().livePagemaps().contains(pagemap));
                long pfn = pagemap.firstDevicePfn();
                final Targets v = victim;
                List<Runnable> later =
                        new ArrayList<>(
                                List.of(
                                        () -> pagemap.memmapSync(pfn, 1),
                                        pagemap::sync,
                                        pagemap::audit,
                                        () -> pagemap.isPageInitialized(pfn),
                                        () -> v.dax().directAccess(0, 1, true),
                                        pagemap::memmapState));
                v.devdax().ifPresent(d -> later.add(() -> d.fault(0, FaultSize.PTE)));
                for (Runnable call : later) {
                    ZoneDeviceException e =
                            assertThrows(
                                    ZoneDeviceException.class, call::run, "a call after teardown");
                    assertEquals(ErrorCode.NO_DEVICE, e.code(), e.getMessage());
                }
                stop.set(true);
                Waits.within(
                        Waits.HANG,
                        "consumers to stop",
                        () -> {
                            consumers.join();
                            return null;
                        });
                Targets reborn;
                if (action == 0) {
                    reborn = Targets.of(platform, platform.create(spec));
                } else {
                    platform.disable("victim");
                    platform.enable("victim");
                    reborn = Targets.of(platform, platform.namespace("victim"));
                }
                run.pagesVerified(reborn.syncAndAudit(Waits.HANG));
                assertEquals(List.of(), platform.engine().failures().failures());
                assertFalse(platform.engine().testing().anyVmemmapLockHeld());
                run.operations(ops.get());
                run.scenario();
            }
        }
    }

    /**
     * Random consumer calls until told to stop; NO_DEVICE is the only error accepted once teardown
     * begins.
     */
    private static void consume(
            Targets victim, Random random, AtomicBoolean stop, AtomicLong refused, AtomicLong ops) {
        DevicePagemap pagemap = victim.pagemap();
        long first = pagemap.firstDevicePfn();
        long pages = pagemap.range().endPfn() - first;
        while (!stop.get()) {
            ops.incrementAndGet();
            try {
                switch (random.nextInt(4)) {
                    case 0 -> {
                        long off = random.nextLong(pages);
                        pagemap.memmapSync(
                                first + off, 1 + random.nextLong(Math.min(pages - off, 300)));
                    }
                    case 1 -> {
                        long pgoff = random.nextLong(victim.dax().nrPages());
                        victim.dax().directAccess(pgoff, 1, true);
                    }
                    case 2 -> {
                        if (victim.devdax().isPresent()) {
                            var d = victim.devdax().get();
                            d.fault(random.nextLong(d.nrPages()) * 4096, FaultSize.PTE);
                        } else {
                            pagemap.sync();
                        }
                    }
                    default -> pagemap.sync();
                }
            } catch (ZoneDeviceException e) {
                if (e.code() != ErrorCode.NO_DEVICE) {
                    throw e;
                }
                refused.incrementAndGet();
            }
        }
    }

    @Test
    void aWorkerThatThrowsIsReportedAndSyncCallersGetAnErrorInsteadOfHanging(Run run) {
        Random random = run.random();
        int fired = 0;
        for (int round = 0; round < 12; round++) {
            try (Platform platform =
                    Targets.platform(
                            "x86_64", WORKERS[random.nextInt(3)], RANGES[1 + random.nextInt(2)])) {
                platform.engine().testing().faults().failWorkerAt(random.nextInt(4));
                Targets t =
                        Targets.of(
                                platform,
                                platform.create(
                                        NamespaceSpec.of(
                                                        "w",
                                                        34 * MIB,
                                                        random.nextBoolean()
                                                                ? NamespaceMode.FSDAX
                                                                : NamespaceMode.DEVDAX)
                                                .withAlign(4096)));
                DevicePagemap pagemap = t.pagemap();
                long first = pagemap.firstDevicePfn();
                long pages = pagemap.range().endPfn() - first;
                sleepMicros(random.nextInt(2000));
                AtomicLong errors = new AtomicLong();
                List<Random> randoms = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    randoms.add(run.forkRandom());
                }
                Waits.concurrently(
                        4,
                        Waits.HANG,
                        "memmapSync with a throwing worker",
                        i -> {
                            Random r = randoms.get(i);
                            for (long off = 0; off < pages; ) {
                                long n = 1 + r.nextLong(Math.min(pages - off, 1000));
                                try {
                                    pagemap.memmapSync(first + off, n);
                                } catch (ZoneDeviceException e) {
                                    if (e.code() != ErrorCode.IO_ERROR) {
                                        throw e;
                                    }
                                    errors.incrementAndGet();
                                }
                                off += n;
                            }
                        });
                if (platform.engine().testing().faults().injected() == 0) {
                    // every sub-range was claimed in the foreground first: the armed worker fault
                    // never fired
                    platform.engine().testing().faults().reset();
                    run.pagesVerified(t.syncAndAudit(Waits.HANG));
                } else {
                    fired++;
                    assertTrue(
                            errors.get() > 0, "callers covering the failed sub-range got an error");
                    assertTrue(pagemap.failure() != null, "the pagemap reports the failure");
                    assertTrue(
                            platform.engine().failures().failures().stream()
                                    .anyMatch(f -> f.contains("injected worker failure")),
                            "the platform reports the failure: "
                                    + platform.engine().failures().failures());
                    ZoneDeviceException e =
                            assertThrows(
                                    ZoneDeviceException.class,
                                    () ->
                                            Waits.within(
                                                    Waits.HANG,
                                                    "sync with a failed sub-range",
                                                    t.control()::sync));
                    assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
                    assertTrue(e.getMessage().contains("could not be initialized"), e.getMessage());
                    run.faults(1);
                }
                Waits.within(Waits.HANG, "destroy", () -> platform.destroy("w"));
                assertEquals(0, pagemap.referenceCount());
                run.scenario();
            }
        }
        assertTrue(fired > 0, "no round fired the worker fault");
        // A synchronous add (generic: would-block fallback) whose worker throws fails the create
        // and leaves nothing.
        Path file = dir.resolve("sync-worker.img");
        try (Platform platform = Targets.platform("generic", 2, 7)) {
            platform.engine().testing().faults().failWorkerAt(random.nextInt(8));
            ZoneDeviceException e =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    Waits.within(
                                            Waits.HANG,
                                            "create",
                                            () ->
                                                    platform.create(
                                                            NamespaceSpec.of(
                                                                            "s",
                                                                            34 * MIB,
                                                                            NamespaceMode.FSDAX)
                                                                    .withAlign(4096)
                                                                    .withFile(file))));
            assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
            assertEquals(List.of(), platform.namespaces());
            assertFalse(Files.exists(file), "a file the failed create made is removed");
            assertEquals(0, platform.engine().memremap().livePagemaps().size());
            Targets t =
                    Targets.of(
                            platform,
                            platform.create(
                                    NamespaceSpec.of("s", 34 * MIB, NamespaceMode.FSDAX)
                                            .withAlign(4096)
                                            .withFile(file)));
            run.pagesVerified(t.syncAndAudit(Waits.HANG));
            run.faults(1);
            run.scenario();
        }
    }

    static Stream<Arguments> uncleanStops() {
        return Stream.of(
                Arguments.of("fsdax", "dev"),
                Arguments.of("fsdax", "mem"),
                Arguments.of("devdax", "dev"),
                Arguments.of("devdax", "mem"));
    }

    @ParameterizedTest(name = "{0} map={1}")
    @MethodSource("uncleanStops")
    void aFileBackedNamespaceComesBackAfterAnUncleanStop(String mode, String map, Run run)
            throws Exception {
        Path file = dir.resolve("unclean-" + mode + "-" + map + ".img");
        long size = 66 * MIB;
        long seed = run.random().nextLong();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child =
                new ProcessBuilder(
                                java,
                                "--enable-native-access=ALL-UNNAMED",
                                "-cp",
                                System.getProperty("java.class.path"),
                                UncleanStopChild.class.getName(),
                                file.toString(),
                                mode,
                                map,
                                Long.toString(size),
                                Long.toString(seed))
                        .redirectErrorStream(true)
                        .start();
        String uuid;
        try {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            uuid =
                    Waits.within(
                            Waits.HANG,
                            "the child to write",
                            () -> {
                                StringBuilder seen = new StringBuilder();
                                for (String line; (line = out.readLine()) != null; ) {
                                    if (line.startsWith("WROTE ")) {
                                        return line.substring(6).strip();
                                    }
                                    seen.append(line).append('\n');
                                }
                                throw Waits.failure("the child ended without writing: " + seen);
                            });
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
        }
        try (Platform platform = Targets.platform("x86_64", 2, 128)) {
            Namespace ns =
                    platform.create(
                            NamespaceSpec.of("namespace0.0", size, NamespaceMode.parse(mode))
                                    .withFile(file));
            PfnInfoBlock block =
                    ns.bound().orElseThrow() instanceof PmemNamespace p
                            ? p.infoBlock().orElseThrow()
                            : ((DevDaxNamespace) ns.bound().orElseThrow()).infoBlock();
            assertEquals(
                    uuid, block.uuid().toString(), "the info block was re-probed, not rewritten");
            assertEquals(map, block.map().text());
            MemorySegment data =
                    ns.daxDevices()
                            .getFirst()
                            .directAccess(0, ns.daxDevices().getFirst().nrPages(), false)
                            .kernelAddress();
            // Later writes may overlap earlier ones: replay them all, then compare every block.
            byte[] expected = new byte[(int) data.byteSize()];
            MemorySegment.copy(data, 0, MemorySegment.ofArray(expected), 0, expected.length);
            Random random = new Random(seed);
            List<long[]> blocks = new ArrayList<>();
            byte[] model = expected.clone();
            for (int i = 0; i < UncleanStopChild.WRITES; i++) {
                long at = random.nextLong(data.byteSize() - UncleanStopChild.BLOCK);
                byte[] b = new byte[UncleanStopChild.BLOCK];
                random.nextBytes(b);
                System.arraycopy(b, 0, model, (int) at, b.length);
                blocks.add(new long[] {at});
            }
            for (long[] b : blocks) {
                int at = (int) b[0];
                assertArrayEquals(
                        Arrays.copyOfRange(model, at, at + UncleanStopChild.BLOCK),
                        Arrays.copyOfRange(expected, at, at + UncleanStopChild.BLOCK),
                        "data written before the unclean stop at " + at);
            }
            Targets t = Targets.of(platform, ns);
            run.pagesVerified(t.syncAndAudit(Waits.HANG));
            run.faults(1);
            run.scenario();
        }
    }

    private static void sleepMicros(long micros) {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
