package dev.zonedev.bench;

import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.EngineTesting;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ns per page of the engine's page-initialization loop against {@link ReferenceLoop}, which writes
 * the same 64 bytes per page in the plainest fast form, both into warm, already-mapped,
 * huge-page-backed memory: the engine's loop rewrites the memmap of a fully initialized 1 GiB
 * x86_64 pagemap ({@link EngineTesting#reinitialize}), the reference writes a fresh mapping of the
 * same size. Two sizes: 4096 pages (256 KiB of memmap, cache resident) and 262144 pages (16 MiB,
 * memory bound, the case of a real memmap).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class StructPageInitBenchmark {
    static final int SMALL = 1 << 12;
    static final int LARGE = 1 << 18;

    /** A device pfn at 1 TiB, as in the whole-run benchmark. */
    static final long FIRST_PFN = Pages.pfn(1L << 40);

    /** x86_64: 128 MiB sections of 32768 pages. */
    static final int SECTION_PFN_SHIFT = 15;

    private Engine engine;
    private EngineTesting testing;
    private DevicePagemap pagemap;
    private HugePages reference;
    private MemorySegment memory;
    private final long baseFlags = ReferenceLoop.baseFlags(0);

    @Setup(Level.Trial)
    public void map() {
        engine = Engine.create(EngineConfig.defaults().withArch("x86_64").withWorkers(1));
        testing = engine.testing();
        pagemap =
                engine.memremapPages(
                        new PagemapRequest(
                                new PhysicalRange(
                                        Pages.physAddr(FIRST_PFN), LARGE * Pages.PAGE_SIZE),
                                0,
                                Optional.empty(),
                                false));
        reference = HugePages.map((long) LARGE * Pages.STRUCT_PAGE_SIZE);
        memory = reference.memory();
        ReferenceLoop.write(
                memory, 0, FIRST_PFN, FIRST_PFN + LARGE, baseFlags, SECTION_PFN_SHIFT, 1);
    }

    @TearDown(Level.Trial)
    public void unmap() {
        reference.close();
        engine.close();
    }

    @Benchmark
    @OperationsPerInvocation(SMALL)
    public void engineLoopCacheResident() {
        testing.reinitialize(pagemap, FIRST_PFN, FIRST_PFN + SMALL);
    }

    @Benchmark
    @OperationsPerInvocation(SMALL)
    public void referenceLoopCacheResident() {
        ReferenceLoop.write(
                memory, 0, FIRST_PFN, FIRST_PFN + SMALL, baseFlags, SECTION_PFN_SHIFT, 1);
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public void engineLoopMemoryBound() {
        testing.reinitialize(pagemap, FIRST_PFN, FIRST_PFN + LARGE);
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public void referenceLoopMemoryBound() {
        ReferenceLoop.write(
                memory, 0, FIRST_PFN, FIRST_PFN + LARGE, baseFlags, SECTION_PFN_SHIFT, 1);
    }
}
