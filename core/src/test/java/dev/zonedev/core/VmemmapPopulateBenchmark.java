package dev.zonedev.core;

import dev.zonedev.api.Pages;
import dev.zonedev.api.VmemmapBlockSize;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * Vmemmap population cost: per 2 MiB block ({@code vmemmap_populate_hugepages}, x86_64) and per 4
 * KiB page ({@code _basepages}, generic), through the engine's {@link PageTable}. The plain
 * variants measure the page-table bookkeeping plus {@code mmap}/{@code madvise}; the {@code
 * AndTouch} variants also fault the memory in with one write per 4 KiB, which is what the kernel's
 * allocation of a zeroed page costs. Every invocation depopulates what it populated (outside the
 * measurement), so memory stays bounded. It lives in core's test sources because it drives
 * package-private classes; BENCHMARKS.md gives the command that runs it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class VmemmapPopulateBenchmark {
    /** Huge blocks per invocation: one x86_64 section's worth of 2 MiB blocks times 64. */
    static final int HUGE_BLOCKS = 64;

    /** Base pages per invocation: one 2 MiB stretch of memmap. */
    static final int BASE_PAGES = 512;

    private static final long MAX_PHYSICAL = 64L << 40;

    /** Memmap offset of the pfn at 1 TiB. */
    private static final long START = Pages.pfn(1L << 40) << Pages.STRUCT_PAGE_SHIFT;

    private VmemmapSpace space;
    private PageTable pageTable;
    private long populatedEnd;
    private VmemmapBlockSize populatedSize;

    @Setup(Level.Trial)
    public void reserve() {
        space = new VmemmapSpace(MAX_PHYSICAL);
        pageTable = new PageTable(space, new PhysicalMemory(MAX_PHYSICAL), new FaultInjector());
    }

    @TearDown(Level.Trial)
    public void release() {
        space.close();
    }

    @TearDown(Level.Invocation)
    public void depopulate() {
        if (populatedSize != null) {
            pageTable.depopulate(START, populatedEnd, populatedSize, offset -> false, false);
            populatedSize = null;
        }
    }

    private void populate(long bytes, VmemmapBlockSize size, boolean touch) {
        long end = START + bytes;
        pageTable.populate(START, end, size, null, false);
        populatedEnd = end;
        populatedSize = size;
        if (touch) {
            MemorySegment memmap = space.memmap();
            for (long off = START; off < end; off += Pages.PAGE_SIZE) {
                memmap.set(ValueLayout.JAVA_LONG, off, 1L);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(HUGE_BLOCKS)
    public void populateHugeBlock() {
        populate(HUGE_BLOCKS * Pages.PMD_SIZE, VmemmapBlockSize.HUGE_2M, false);
    }

    @Benchmark
    @OperationsPerInvocation(HUGE_BLOCKS)
    public void populateHugeBlockAndTouch() {
        populate(HUGE_BLOCKS * Pages.PMD_SIZE, VmemmapBlockSize.HUGE_2M, true);
    }

    @Benchmark
    @OperationsPerInvocation(BASE_PAGES)
    public void populateBasePage() {
        populate(BASE_PAGES * Pages.PAGE_SIZE, VmemmapBlockSize.BASE_4K, false);
    }

    @Benchmark
    @OperationsPerInvocation(BASE_PAGES)
    public void populateBasePageAndTouch() {
        populate(BASE_PAGES * Pages.PAGE_SIZE, VmemmapBlockSize.BASE_4K, true);
    }
}
