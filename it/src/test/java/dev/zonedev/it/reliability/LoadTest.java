package dev.zonedev.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.zonedev.api.DaxMapping;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.driver.devdax.DevDaxDevice;
import dev.zonedev.it.reliability.Reliability.Run;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Load: many threads ask for pfns ({@code memmapSync}, direct access with a pfn, device-dax faults
 * of random sizes and offsets) on several namespaces while the background initializes them, for
 * every worker count (1, 2, 8, 64) and sub-range count (1, 7, 128, 1024). The namespaces include
 * the smallest possible (one 2 MiB sub-section, so 64 x 1024 sub-ranges ask for more sub-ranges
 * than there are pages) and sizes that neither the sub-range size nor the 128 MiB section size
 * divides (6 MiB, 10 MiB, 134 MiB spanning two sections). The seed strategy runs the whole matrix,
 * each other shipped strategy a corner of it. Every pfn handed out is checked initialized at once
 * (invariant 1); afterwards a {@code sync} write must leave every page initialized exactly once
 * (invariants 2, 3).
 */
@ExtendWith(Reliability.class)
class LoadTest {
    private static final long MIB = Targets.MIB;
    private static final int THREADS = 8;
    private static final int OPS_PER_THREAD = 400;

    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (int workers : new int[] {1, 2, 8, 64}) {
            for (int ranges : new int[] {1, 7, 128, 1024}) {
                all.add(Arguments.of("x86_64", "seed", workers, ranges));
            }
        }
        all.add(Arguments.of("generic", "seed", 2, 7));
        all.add(Arguments.of("generic", "seed", 64, 1024));
        for (String strategy : List.of("upstream", "padata", "seed+padata")) {
            all.add(Arguments.of("x86_64", strategy, 1, 1));
            all.add(Arguments.of("x86_64", strategy, 2, 7));
            all.add(Arguments.of("x86_64", strategy, 64, 1024));
            all.add(Arguments.of("generic", strategy, 8, 128));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, {1}: {2} workers x {3} sub-ranges")
    @MethodSource("matrix")
    void consumersGetOnlyInitializedPagesAndEveryPageIsInitializedOnce(
            String arch, String strategy, int workers, int ranges, Run run) {
        try (Platform platform = Targets.platform(arch, strategy, workers, ranges)) {
            if (platform.engine().strategy().foregroundSync()) {
                // held until a random moment; a strategy whose pfn requests wait for its pass
                // runs free, or the first request would wait for the release it must make
                platform.engine().testing().backgroundGate().hold();
            }
            List<Targets> targets = new ArrayList<>();
            targets.add(
                    Targets.of(
                            platform,
                            platform.create(
                                    NamespaceSpec.of("tiny", 2 * MIB, NamespaceMode.FSDAX)
                                            .withAlign(4096))));
            targets.add(
                    Targets.of(
                            platform,
                            platform.create(
                                    NamespaceSpec.of("odd", 10 * MIB, NamespaceMode.FSDAX)
                                            .withAlign(4096)
                                            .withOption("map", "dev"))));
            targets.add(
                    Targets.of(
                            platform,
                            platform.create(
                                    NamespaceSpec.of("dax-pte", 6 * MIB, NamespaceMode.DEVDAX)
                                            .withAlign(4096))));
            targets.add(
                    Targets.of(
                            platform,
                            platform.create(
                                    NamespaceSpec.of("dax-pmd", 134 * MIB, NamespaceMode.DEVDAX)
                                            .withOption(
                                                    "map",
                                                    run.random().nextBoolean() ? "dev" : "mem"))));
            int releaseAfter = run.random().nextInt(OPS_PER_THREAD);
            AtomicLong ops = new AtomicLong();
            AtomicLong checked = new AtomicLong();
            List<Random> randoms = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                randoms.add(run.forkRandom());
            }
            try {
                Waits.concurrently(
                        THREADS,
                        Duration.ofSeconds(90),
                        "load " + arch + " " + strategy + " " + workers + "x" + ranges,
                        t -> {
                            Random random = randoms.get(t);
                            for (int i = 0; i < OPS_PER_THREAD; i++) {
                                if (t == 0 && i == releaseAfter) {
                                    platform.engine().testing().backgroundGate().release();
                                }
                                checked.addAndGet(
                                        operate(
                                                targets.get(random.nextInt(targets.size())),
                                                random));
                                ops.incrementAndGet();
                            }
                        });
            } finally {
                platform.engine().testing().backgroundGate().release();
            }
            long audited = 0;
            for (Targets target : targets) {
                audited += target.syncAndAudit(Waits.HANG);
            }
            assertEquals(
                    List.of(),
                    platform.engine().failures().failures(),
                    "no background failure -- " + run.replay());
            assertFalse(
                    platform.engine().testing().anyVmemmapLockHeld(),
                    "no vmemmap lock held -- " + run.replay());
            run.scenario();
            run.operations(ops.get());
            run.pagesVerified(audited + checked.get());
        }
    }

    /** One random consumer operation; returns the pages it checked for invariant 1. */
    private static long operate(Targets target, Random random) {
        long devicePages = target.pagemap().range().endPfn() - target.pagemap().firstDevicePfn();
        long daxPages = target.dax().nrPages();
        switch (random.nextInt(6)) {
            case 0 -> {
                long off = random.nextLong(devicePages);
                long n =
                        1
                                + random.nextLong(
                                        Math.min(
                                                devicePages - off,
                                                random.nextInt(8) == 0 ? devicePages : 700));
                long pfn = target.pagemap().firstDevicePfn() + off;
                target.pagemap().memmapSync(pfn, n);
                return target.verifyHandedOut(pfn, n, "memmapSync");
            }
            case 1, 2 -> {
                long pgoff = random.nextLong(daxPages);
                long n = 1 + random.nextLong(Math.min(daxPages - pgoff, 600));
                DirectAccess access = target.dax().directAccess(pgoff, n, true);
                return target.verifyHandedOut(
                        access.pfn().orElseThrow().value(),
                        access.availablePages(),
                        "direct access");
            }
            case 3 -> {
                long pgoff = random.nextLong(daxPages);
                DirectAccess access =
                        target.dax()
                                .directAccess(pgoff, 1 + random.nextLong(daxPages - pgoff), false);
                if (access.pfn().isPresent()) {
                    throw Waits.failure("direct access without a pfn returned one");
                }
                return 0;
            }
            case 4 -> {
                if (target.devdax().isEmpty()) {
                    target.control().memmapState();
                    return 0;
                }
                return fault(target, target.devdax().get(), random);
            }
            default -> {
                target.control().memmapState();
                return 0;
            }
        }
    }

    /**
     * A fault of a random size at a random offset aligned to that size: mapped when the size is the
     * device's.
     */
    private static long fault(Targets target, DevDaxDevice dev, Random random) {
        FaultSize size = FaultSize.values()[random.nextInt(FaultSize.values().length)];
        long slots = Math.max(1, dev.size() / size.bytes());
        long offset = random.nextLong(slots) * size.bytes();
        boolean valid = size.bytes() == dev.align() && offset + size.bytes() <= dev.size();
        try {
            DaxMapping mapping = dev.fault(offset, size);
            if (!valid) {
                throw Waits.failure(
                        dev.name()
                                + ": "
                                + size
                                + " fault at "
                                + offset
                                + " was mapped although the device"
                                + " alignment is "
                                + dev.align());
            }
            return target.verifyHandedOut(mapping.pfn().value(), size.pages(), size + " fault");
        } catch (ZoneDeviceException e) {
            if (valid || (e.code() != ErrorCode.INVALID && e.code() != ErrorCode.OUT_OF_RANGE)) {
                throw e;
            }
            return 0;
        }
    }
}
