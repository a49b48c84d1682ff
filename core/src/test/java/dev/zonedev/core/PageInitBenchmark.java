package dev.zonedev.core;

import dev.zonedev.api.Pages;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;
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
 * ns per page of the ways this JDK offers to write a pagemap's struct pages (issue 13, {@code
 * --page-init}), all writing the same device pages into the same warm, huge-page-backed memory:
 *
 * <ul>
 *   <li>{@code fields}: the engine's {@link StructPage#initRange}, eight stores per page;
 *   <li>{@code template}: the engine's {@link StructPageTemplate} as production runs it;
 *   <li>{@code templatePerPage}: a 64-byte {@code MemorySegment.copy} of the template per page,
 *       then the flags word;
 *   <li>{@code staged*}: the template into a staging block of 16, 64 or 512 pages at the start of
 *       each section's part, then that block copied whole with {@code MemorySegment.copy}; {@code
 *       stagedMemcpy*} the same with the C library's {@code memcpy} through the FFM linker;
 *   <li>{@code doublingCopy}/{@code doublingMemcpy}: the copied part doubles each time (the largest
 *       copies are half a section's struct pages: the native {@code memcpy} "for large blocks");
 *   <li>{@code vector256}: the page as two 256-bit {@code LongVector} stores (wider stores);
 *   <li>{@code fill}/{@code memset}: {@code MemorySegment.fill} and native {@code memset} of the
 *       same bytes: the limit for writing them.
 * </ul>
 *
 * Two sizes, as nested classes: 4096 pages (256 KiB, cache resident) and 2^21 pages (128 MiB of
 * struct pages, four times this machine's L3: memory bound, the case of a real memmap). In core's
 * test sources because it drives core's package-private writers; run it from core's test classes
 * (BENCHMARKS.md). The fork gets {@code --add-modules jdk.incubator.vector} for {@code vector256}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "--enable-native-access=ALL-UNNAMED",
            "--add-modules=jdk.incubator.vector"
        })
@State(Scope.Thread)
public abstract class PageInitBenchmark {
    /** A device pfn at 1 TiB, as in the other benchmarks. */
    static final long FIRST_PFN = Pages.pfn(1L << 40);

    static final int SECTION_PFN_SHIFT = 15;
    static final long PGMAP = 1;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;
    private static final VectorSpecies<Long> V256 = LongVector.SPECIES_256;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MEMCPY =
            LINKER.downcallHandle(
                    LINKER.defaultLookup().find("memcpy").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG),
                    Linker.Option.critical(false));
    private static final MethodHandle MEMSET =
            LINKER.downcallHandle(
                    LINKER.defaultLookup().find("memset").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_LONG),
                    Linker.Option.critical(false));

    private static final MethodHandle MEMSET_ADDRESS =
            LINKER.downcallHandle(
                    LINKER.defaultLookup().find("memset").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_LONG),
                    Linker.Option.critical(false));

    private final long baseFlags = StructPage.baseFlags(0);
    private final StructPageTemplate template = StructPageTemplate.device(baseFlags, PGMAP);
    private final MemorySegment templatePage = MemorySegment.ofArray(new long[8]);
    private final long[] vectorWords = new long[8];
    private long mapped;
    private long mappedLength;
    private long memmapAddress;

    /** The memory seen as a memmap: the struct page of pfn at {@code pfn << 6}. */
    private MemorySegment memmap;

    /** The memory itself, for fill and memset. */
    private MemorySegment memory;

    /** Pages each invocation writes. */
    abstract int pages();

    @Setup(Level.Trial)
    public void map() {
        long bytes = (long) pages() << 6;
        mappedLength = bytes + Pages.PMD_SIZE;
        mapped =
                Native.mmap(
                        0,
                        mappedLength,
                        Native.PROT_READ | Native.PROT_WRITE,
                        Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_NORESERVE,
                        -1,
                        0);
        memmapAddress = (mapped + Pages.PMD_SIZE - 1) & -Pages.PMD_SIZE;
        Native.madvise(memmapAddress, bytes, Native.MADV_HUGEPAGE);
        memory = MemorySegment.ofAddress(memmapAddress).reinterpret(bytes);
        memmap =
                MemorySegment.ofAddress(memmapAddress - (FIRST_PFN << 6))
                        .reinterpret((FIRST_PFN + pages()) << 6);
        templatePage.set(WORD, StructPage.PGMAP, PGMAP);
        templatePage.set(WORD, StructPage.LRU_PREV, StructPage.LIST_POISON2);
        templatePage.set(WORD, StructPage.MAPCOUNT_REFCOUNT, StructPage.COUNTS);
        fields();
    }

    /** Checks that the last variant run wrote every page right, then unmaps. */
    @TearDown(Level.Trial)
    public void unmap() {
        for (long pfn = FIRST_PFN; pfn < FIRST_PFN + pages(); pfn++) {
            if (!StructPage.matches(
                    memmap, pfn, 0, SECTION_PFN_SHIFT, PGMAP, StructPage.LIST_POISON2)) {
                // fill and memset leave zeros: only the writers are checked
                if (memmap.get(WORD, pfn << 6) != 0) {
                    throw new IllegalStateException("bad struct page at pfn " + pfn);
                }
            }
        }
        Native.munmap(mapped, mappedLength);
    }

    @Benchmark
    public void fields() {
        StructPage.initRange(
                memmap,
                FIRST_PFN,
                FIRST_PFN + pages(),
                baseFlags,
                SECTION_PFN_SHIFT,
                PGMAP,
                StructPage.LIST_POISON2);
    }

    @Benchmark
    public void template() {
        template.initRange(memmap, FIRST_PFN, FIRST_PFN + pages(), SECTION_PFN_SHIFT);
    }

    @Benchmark
    public void templatePerPage() {
        long end = FIRST_PFN + pages();
        for (long pfn = FIRST_PFN; pfn < end; pfn++) {
            long off = pfn << 6;
            MemorySegment.copy(templatePage, 0, memmap, off, 64);
            memmap.set(WORD, off, StructPage.flags(baseFlags, pfn, SECTION_PFN_SHIFT));
        }
    }

    @Benchmark
    public void staged16() {
        bySection(16, false, false);
    }

    @Benchmark
    public void staged64() {
        bySection(64, false, false);
    }

    @Benchmark
    public void staged512() {
        bySection(512, false, false);
    }

    @Benchmark
    public void stagedMemcpy64() {
        bySection(64, true, false);
    }

    @Benchmark
    public void stagedMemcpy512() {
        bySection(512, true, false);
    }

    @Benchmark
    public void doublingCopy() {
        bySection(64, false, true);
    }

    @Benchmark
    public void doublingMemcpy() {
        bySection(64, true, true);
    }

    @Benchmark
    public void vector256() {
        long end = FIRST_PFN + pages();
        long[] words = vectorWords;
        MemorySegment.copy(templatePage, WORD, 0, words, 0, 8);
        for (long pfn = FIRST_PFN; pfn < end; ) {
            long sectionEnd = Math.min(end, ((pfn >>> SECTION_PFN_SHIFT) + 1) << SECTION_PFN_SHIFT);
            words[0] = StructPage.flags(baseFlags, pfn, SECTION_PFN_SHIFT);
            LongVector low = LongVector.fromArray(V256, words, 0);
            LongVector high = LongVector.fromArray(V256, words, 4);
            for (long off = pfn << 6, stop = sectionEnd << 6; off < stop; off += 64) {
                low.intoMemorySegment(memmap, off, ByteOrder.nativeOrder());
                high.intoMemorySegment(memmap, off + 32, ByteOrder.nativeOrder());
            }
            pfn = sectionEnd;
        }
    }

    @Benchmark
    public void memsetPatch256() {
        zeroThenPatch(256, true);
    }

    @Benchmark
    public void memsetPatch4096() {
        zeroThenPatch(4096, true);
    }

    @Benchmark
    public void fillPatch256() {
        zeroThenPatch(256, false);
    }

    @Benchmark
    public void fill() {
        memory.fill((byte) 0);
    }

    @Benchmark
    public void memset() throws Throwable {
        MemorySegment unused = (MemorySegment) MEMSET.invokeExact(memory, 0, memory.byteSize());
    }

    /**
     * Per chunk of {@code chunk} pages: zero it (native {@code memset}, or {@code
     * MemorySegment.fill}), then store the four non-zero words of each page while the chunk is
     * still in cache.
     */
    private void zeroThenPatch(long chunk, boolean nativeZero) {
        long end = FIRST_PFN + pages();
        for (long pfn = FIRST_PFN; pfn < end; ) {
            long sectionEnd = Math.min(end, ((pfn >>> SECTION_PFN_SHIFT) + 1) << SECTION_PFN_SHIFT);
            long flags = StructPage.flags(baseFlags, pfn, SECTION_PFN_SHIFT);
            for (long from = pfn; from < sectionEnd; from += chunk) {
                long to = Math.min(sectionEnd, from + chunk);
                if (nativeZero) {
                    memset(memmap.address() + (from << 6), (to - from) << 6);
                } else {
                    memmap.asSlice(from << 6, (to - from) << 6).fill((byte) 0);
                }
                for (long off = from << 6, stop = to << 6; off < stop; off += 64) {
                    memmap.set(WORD, off, flags);
                    memmap.set(WORD, off + StructPage.PGMAP, PGMAP);
                    memmap.set(WORD, off + StructPage.LRU_PREV, StructPage.LIST_POISON2);
                    memmap.set(WORD, off + StructPage.MAPCOUNT_REFCOUNT, StructPage.COUNTS);
                }
            }
            pfn = sectionEnd;
        }
    }

    private static void memset(long address, long bytes) {
        try {
            long unused = (long) MEMSET_ADDRESS.invokeExact(address, 0, bytes);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The staged variants: per section, the template into the first page, doubled up to {@code
     * staging} pages, then copied over the rest ({@code doubling}: the copied part keeps doubling).
     */
    private void bySection(long staging, boolean nativeCopy, boolean doubling) {
        long end = FIRST_PFN + pages();
        for (long pfn = FIRST_PFN; pfn < end; ) {
            long sectionEnd = Math.min(end, ((pfn >>> SECTION_PFN_SHIFT) + 1) << SECTION_PFN_SHIFT);
            long base = pfn << 6;
            MemorySegment.copy(templatePage, 0, memmap, base, 64);
            memmap.set(WORD, base, StructPage.flags(baseFlags, pfn, SECTION_PFN_SHIFT));
            long total = sectionEnd - pfn;
            long staged = doubling ? total : Math.min(total, staging);
            long have = 1;
            while (have < staged) {
                long n = Math.min(have, staged - have);
                copy(base, base + (have << 6), n << 6, nativeCopy);
                have += n;
            }
            for (long p = pfn + staged; p < sectionEnd; p += staged) {
                copy(base, p << 6, Math.min(staged, sectionEnd - p) << 6, nativeCopy);
            }
            pfn = sectionEnd;
        }
    }

    private void copy(long from, long to, long bytes, boolean nativeCopy) {
        if (nativeCopy) {
            memcpy(memmap.address() + to, memmap.address() + from, bytes);
        } else {
            MemorySegment.copy(memmap, from, memmap, to, bytes);
        }
    }

    private static void memcpy(long to, long from, long bytes) {
        try {
            long unused = (long) MEMCPY.invokeExact(to, from, bytes);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** 4096 pages: 256 KiB of struct pages, cache resident. */
    @OperationsPerInvocation(CacheResident.PAGES)
    public static class CacheResident extends PageInitBenchmark {
        static final int PAGES = 1 << 12;

        @Override
        int pages() {
            return PAGES;
        }
    }

    /** 2^21 pages: 128 MiB of struct pages, memory bound. */
    @OperationsPerInvocation(MemoryBound.PAGES)
    public static class MemoryBound extends PageInitBenchmark {
        static final int PAGES = 1 << 21;

        @Override
        int pages() {
            return PAGES;
        }
    }
}
