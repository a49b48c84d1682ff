package dev.zonedev.core;

import dev.zonedev.api.Pages;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The vmemmap of a pagemap of compound pages with vmemmap tail reuse ({@code
 * vmemmap_populate_compound_pages}): of the {@code 2^order * 64 / 4096} vmemmap pages of each
 * compound page only the first two are backed by frames of their own, the head page (head and 63
 * tails) and the first tail page (64 tails); every later vmemmap page of the compound page maps
 * onto that same tail frame. The frames come from one anonymous mapping holding two per compound
 * page (committed on first write), so the process's map count does not grow with the namespace.
 *
 * <p>Translation is the model's page table for this memmap: one entry per compound page, written
 * when the section holding its head is populated, names its head frame ({@code frame + 1}; 0 while
 * not populated); vmemmap page {@code j} of the compound page translates to the head frame for
 * {@code j == 0} and to the frame after it otherwise. A struct page is read by translating its
 * vmemmap page once and adding its offset in the page, so reading any tail through its pfn lands on
 * a tail struct page of the right compound page.
 *
 * <p>Thread-safe: entries of disjoint compound pages are written by their sections' populaters
 * under the section's populate lock, and read after the claim that orders the initialization.
 */
final class CompoundVmemmap implements AutoCloseable {
    /**
     * Vmemmap pages backed by frames of their own per compound page ({@code VMEMMAP_RESERVE_NR}).
     */
    static final int RESERVE_NR = 2;

    /** Struct pages written per compound page: those of the two own vmemmap pages. */
    static final int STRUCT_PAGES_WRITTEN = RESERVE_NR * (int) (Pages.PAGE_SIZE >>> 6);

    private final long firstPfn;
    private final long endPfn;
    private final int order;
    private final int vmemmapPageShift;
    private final long poolAddress;
    private final long poolBytes;
    private final MemorySegment pool;
    private final int[] entries;
    private final AtomicLong populatedCompounds = new AtomicLong();
    private volatile boolean closed;

    /**
     * Maps the frame pool for compound pages of {@code 2^order} pages over {@code [firstPfn,
     * endPfn)}, both multiples of {@code 2^order}; nothing is committed yet.
     *
     * @throws dev.zonedev.api.ZoneDeviceException out-of-memory when the pool cannot be mapped
     */
    CompoundVmemmap(long firstPfn, long endPfn, int order) {
        this.firstPfn = firstPfn;
        this.endPfn = endPfn;
        this.order = order;
        this.vmemmapPageShift = order - (Pages.PAGE_SHIFT - Pages.STRUCT_PAGE_SHIFT);
        long compounds = (endPfn - firstPfn) >>> order;
        this.entries = new int[Math.toIntExact(compounds)];
        this.poolBytes = compounds * RESERVE_NR * Pages.PAGE_SIZE;
        this.poolAddress =
                Native.mmap(
                        0,
                        poolBytes,
                        Native.PROT_READ | Native.PROT_WRITE,
                        Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_NORESERVE,
                        -1,
                        0);
        this.pool = MemorySegment.ofAddress(poolAddress).reinterpret(poolBytes);
    }

    /** True when compound pages of {@code 2^order} pages can reuse tail vmemmap pages. */
    static boolean canOptimize(int order) {
        return order > 0 && (1L << order) * Pages.STRUCT_PAGE_SIZE > RESERVE_NR * Pages.PAGE_SIZE;
    }

    /** The first head pfn at or after {@code pfn} (may be {@link #endPfn()} or beyond). */
    long firstHeadFrom(long pfn) {
        return alignUp(Math.max(pfn, firstPfn));
    }

    /** One past the last pfn. */
    long endPfn() {
        return endPfn;
    }

    /** Pages per compound page. */
    long compoundPages() {
        return 1L << order;
    }

    /**
     * Gives the compound page at {@code head} its two frames (writes its entry); false when it had
     * them already.
     */
    boolean populate(long head) {
        int k = compoundIndex(head);
        if (entries[k] != 0) {
            return false;
        }
        entries[k] = RESERVE_NR * k + 1; // the pool's frames of compound page k
        populatedCompounds.incrementAndGet();
        return true;
    }

    /** Clears the entries of the compound pages whose heads lie in {@code [from, to)}. */
    void depopulate(long from, long to) {
        long first = Math.max(from, firstPfn);
        long last = Math.min(to, endPfn);
        for (long head = alignUp(first); head < last; head += 1L << order) {
            int k = compoundIndex(head);
            if (entries[k] != 0) {
                entries[k] = 0;
                populatedCompounds.decrementAndGet();
            }
        }
    }

    /** True when {@code pfn}'s compound page has its frames. */
    boolean isPopulated(long pfn) {
        return pfn >= firstPfn && pfn < endPfn && entries[compoundIndex(pfn)] != 0;
    }

    /**
     * The frame vmemmap page {@code j} of compound page {@code k} translates to, or -1 when not
     * populated.
     */
    long frameOf(int k, long j) {
        int e = entries[k];
        if (e == 0) {
            return -1;
        }
        return j == 0 ? e - 1 : e;
    }

    /** The pool offset of {@code pfn}'s struct page (translation of its vmemmap page). */
    long offsetOf(long pfn) {
        long rel = pfn - firstPfn;
        long frame = frameOf((int) (rel >>> order), (rel >>> 6) & ((1L << vmemmapPageShift) - 1));
        return frame * Pages.PAGE_SIZE + ((pfn & 63) << 6);
    }

    /** The pool offset of compound page {@code k}'s head frame. */
    long headFrameOffset(int k) {
        return frameOf(k, 0) * Pages.PAGE_SIZE;
    }

    /** Index of the compound page holding {@code pfn}. */
    int compoundIndex(long pfn) {
        return (int) ((pfn - firstPfn) >>> order);
    }

    /** The entry of compound page {@code k} (the audit checks it), 0 while not populated. */
    int entry(int k) {
        return entries[k];
    }

    /** Overwrites an entry (tests corrupt translations with this). */
    void setEntry(int k, int value) {
        entries[k] = value;
    }

    /** Vmemmap pages per compound page. */
    long vmemmapPagesPerCompound() {
        return 1L << vmemmapPageShift;
    }

    /** Number of compound pages. */
    int compounds() {
        return entries.length;
    }

    /** The frames: two per compound page. */
    MemorySegment pool() {
        return pool;
    }

    /** Bytes of frames held by populated compound pages (two 4 KiB frames each). */
    long residentBytes() {
        return populatedCompounds.get() * RESERVE_NR * Pages.PAGE_SIZE;
    }

    /** Bytes of RAM the frames of compound pages of {@code 2^order} over {@code pages} need. */
    static long ramNeed(long pages, int order) {
        return (pages >>> order) * RESERVE_NR * Pages.PAGE_SIZE;
    }

    private long alignUp(long pfn) {
        long size = 1L << order;
        return firstPfn + ((pfn - firstPfn + size - 1) & -size);
    }

    /** Unmaps the frames; every reader must be gone. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.munmap(poolAddress, poolBytes);
        }
    }
}
