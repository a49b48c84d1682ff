package dev.zonedev.bench;

import dev.zonedev.api.Pages;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The latency reference for a first pfn: the smallest claim-and-init pipeline that does what the
 * engine does for {@code memmapSync} and nothing else. A fresh anonymous mapping with {@code
 * MADV_HUGEPAGE} stands for the memmap (faulted in by the first write, as the engine's populated
 * blocks are); {@code workers} threads walk their contiguous slice of the same number of
 * sub-ranges, claim each with one CAS and write the same 64 bytes per page; the consumer claims the
 * sub-range of its pfn with one CAS and writes it, or yields until its claimant is done. No
 * sections, no page table, no gate, no reference counting.
 */
final class MinimalPipeline {
    private static final int FREE = 0;
    private static final int CLAIMED = 1;
    private static final int DONE = 2;

    private final ExecutorService pool;
    private final int workers;
    private final long firstPfn;
    private final long pages;
    private final int nrSubRanges;
    private final long subRangePages;
    private final long baseFlags = ReferenceLoop.baseFlags(0);
    private final int sectionPfnShift;

    MinimalPipeline(
            ExecutorService pool,
            int workers,
            long firstPfn,
            long pages,
            int nrSubRanges,
            long subRangePages,
            int sectionPfnShift) {
        this.pool = pool;
        this.workers = workers;
        this.firstPfn = firstPfn;
        this.pages = pages;
        this.nrSubRanges = nrSubRanges;
        this.subRangePages = subRangePages;
        this.sectionPfnShift = sectionPfnShift;
    }

    /** One "add" and one consumer request for {@code pfn}; returns the consumer's nanoseconds. */
    long sample(long pfn) throws InterruptedException {
        long bytes = pages * Pages.STRUCT_PAGE_SIZE;
        try (HugePages mapped = HugePages.map(bytes)) {
            MemorySegment memory = mapped.memory();
            AtomicIntegerArray state = new AtomicIntegerArray(nrSubRanges);
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(workers);
            for (int w = 0; w < workers; w++) {
                int first = (int) ((long) nrSubRanges * w / workers);
                int end = (int) ((long) nrSubRanges * (w + 1) / workers);
                pool.execute(
                        () -> {
                            try {
                                for (int i = first; i < end && !stop.get(); i++) {
                                    if (state.compareAndSet(i, FREE, CLAIMED)) {
                                        write(memory, i);
                                        state.set(i, DONE);
                                    }
                                }
                            } finally {
                                done.countDown();
                            }
                        });
            }
            long t0 = System.nanoTime();
            int i = (int) ((pfn - firstPfn) / subRangePages);
            if (state.compareAndSet(i, FREE, CLAIMED)) {
                write(memory, i);
                state.set(i, DONE);
            } else {
                while (state.get(i) != DONE) {
                    Thread.yield();
                }
            }
            long nanos = System.nanoTime() - t0;
            stop.set(true);
            done.await();
            return nanos;
        }
    }

    private void write(MemorySegment memory, int i) {
        long from = (long) i * subRangePages;
        long to = Math.min(from + subRangePages, pages);
        ReferenceLoop.write(
                memory,
                from << Pages.STRUCT_PAGE_SHIFT,
                firstPfn + from,
                firstPfn + to,
                baseFlags,
                sectionPfnShift,
                1);
    }
}
