package dev.zonedev.core;

import dev.zonedev.api.Pages;
import dev.zonedev.bench.ReferenceLoop;
import java.lang.foreign.MemorySegment;
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
 * ns per page of the engine's page-initialization loop ({@link StructPage#initRange}) against
 * {@link ReferenceLoop}, which writes the same 64 bytes per page in the plainest fast form, both
 * into the same warm, already-mapped, huge-page-backed memory. Two sizes: 4096 pages (256 KiB of
 * memmap, cache resident) and 262144 pages (16 MiB, memory bound, the case of a real memmap).
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

    static final int SECTION_PFN_SHIFT = 15;

    private long address;
    private long length;
    private MemorySegment memory;

    /** The same memory seen as a memmap: the struct page of pfn at {@code pfn << 6}. */
    private MemorySegment memmapView;

    private final long baseFlags = StructPage.baseFlags(0);

    @Setup(Level.Trial)
    public void map() {
        length = (long) LARGE * Pages.STRUCT_PAGE_SIZE + Pages.PMD_SIZE;
        long raw = BenchAccess.mmapAnonymous(length);
        address = raw;
        long aligned = (raw + Pages.PMD_SIZE - 1) & -Pages.PMD_SIZE;
        BenchAccess.madviseHuge(aligned, (long) LARGE * Pages.STRUCT_PAGE_SIZE);
        memory =
                MemorySegment.ofAddress(aligned).reinterpret((long) LARGE * Pages.STRUCT_PAGE_SIZE);
        memmapView =
                MemorySegment.ofAddress(aligned - (FIRST_PFN << 6))
                        .reinterpret((FIRST_PFN + LARGE) << 6);
        ReferenceLoop.write(
                memory, 0, FIRST_PFN, FIRST_PFN + LARGE, baseFlags, SECTION_PFN_SHIFT, 1);
    }

    @TearDown(Level.Trial)
    public void unmap() {
        BenchAccess.munmap(address, length);
    }

    @Benchmark
    @OperationsPerInvocation(SMALL)
    public void engineLoopCacheResident() {
        StructPage.initRange(
                memmapView,
                FIRST_PFN,
                FIRST_PFN + SMALL,
                baseFlags,
                SECTION_PFN_SHIFT,
                1,
                StructPage.LIST_POISON2);
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
        StructPage.initRange(
                memmapView,
                FIRST_PFN,
                FIRST_PFN + LARGE,
                baseFlags,
                SECTION_PFN_SHIFT,
                1,
                StructPage.LIST_POISON2);
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public void referenceLoopMemoryBound() {
        ReferenceLoop.write(
                memory, 0, FIRST_PFN, FIRST_PFN + LARGE, baseFlags, SECTION_PFN_SHIFT, 1);
    }
}
