package dev.zonedev.core;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemmapBlockSize;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One hot-added range and the population state of its sections' memmap. Any thread may populate a
 * section on demand with {@link #ensurePopulated}; the background population of an async add uses
 * the same call, so a section is populated once, by whoever needs it first, and a caller waits only
 * for sections it needs. Thread-safe.
 */
final class AddedRange {
    private final AddMemoryRequest request;
    private final AltmapAllocator altmap;
    private final SectionRegistry sections;
    private final PageTable pageTable;
    private final VmemmapBlockSize blockSize;
    private final long firstSection;
    private final AtomicIntegerArray populated;
    private final CountDownLatch backgroundDone;
    private final VmemmapReuse reuseDecision;

    /** The reused vmemmap of the compound pages, or null when struct pages are flat. */
    private final CompoundVmemmap reuse;

    /** Section indexes {@code [firstPremapped, endPremapped)} were mapped by {@link #premap()}. */
    private final int firstPremapped;

    private final int endPremapped;
    private volatile boolean stopping;
    private volatile BackgroundGate gate;

    AddedRange(
            AddMemoryRequest request,
            AltmapAllocator altmap,
            SectionRegistry sections,
            PageTable pageTable,
            VmemmapBlockSize blockSize,
            boolean background,
            VmemmapReuse reuseDecision) {
        this.request = request;
        this.reuseDecision = reuseDecision;
        this.altmap = altmap;
        this.sections = sections;
        this.pageTable = pageTable;
        this.blockSize = blockSize;
        PhysicalRange range = request.range();
        this.firstSection = sections.sectionNr(range.start());
        int count = (int) (sections.sectionNr(range.end() - 1) - firstSection + 1);
        this.populated = new AtomicIntegerArray(count);
        this.backgroundDone = new CountDownLatch(background ? 1 : 0);
        long sectionPages = 1L << sections.sectionPfnShift();
        long firstFull = (range.startPfn() + sectionPages - 1) / sectionPages;
        long endFull = range.endPfn() / sectionPages;
        this.reuse =
                reuseDecision.applies()
                        ? new CompoundVmemmap(
                                range.startPfn(), range.endPfn(), request.vmemmapShift())
                        : null;
        boolean premap =
                reuse == null
                        && altmap == null
                        && blockSize == VmemmapBlockSize.HUGE_2M
                        && endFull > firstFull;
        this.firstPremapped = premap ? (int) (firstFull - firstSection) : 0;
        this.endPremapped = premap ? (int) (endFull - firstSection) : 0;
    }

    /**
     * Maps the memmap of every section this range covers whole, in one call (huge RAM blocks only);
     * those sections belong to this range alone. Populating them then only records their blocks.
     * Call once, right after the sections were reserved. Holds the populate locks of those sections
     * (taken in lock order) while it maps, like every other change of their memmap; a removed range
     * gives its sections up only after unmapping them, so this never maps over a block that a
     * removal is about to unmap. On a real multi-node host the mapping is bound to the range's node
     * ({@code mbind}) before anything touches it.
     */
    void premap(NumaTopology numa) {
        if (endPremapped <= firstPremapped) {
            return;
        }
        long firstNr = firstSection + firstPremapped;
        long endNr = firstSection + endPremapped;
        sections.lockSections(firstNr, endNr);
        try {
            long start = sectionMemmapStart(firstPremapped);
            long end = sectionMemmapStart(endPremapped);
            pageTable.premap(start, end);
            pageTable.bindToNode(start, end, numa, nid());
        } finally {
            sections.unlockSections(firstNr, endNr);
        }
    }

    private long sectionMemmapStart(int i) {
        return VmemmapSpace.offsetOf((firstSection + i) << sections.sectionPfnShift());
    }

    private boolean premapped(int i) {
        return i >= firstPremapped && i < endPremapped;
    }

    PhysicalRange range() {
        return request.range();
    }

    int nid() {
        return request.nid();
    }

    AltmapAllocator altmap() {
        return altmap;
    }

    /** The reused vmemmap of this range's compound pages, or null. */
    CompoundVmemmap reuse() {
        return reuse;
    }

    /** Whether tail reuse applies, and why not. */
    VmemmapReuse reuseDecision() {
        return reuseDecision;
    }

    /** Populates every section's memmap in order; stops early when teardown began. */
    void populateAll() {
        populateSections(new BackgroundGate());
    }

    /**
     * The background population task of an async add. A failure is thrown to the async domain,
     * which records it in the failure log; it is not kept as a state of this range: the memmap
     * workers and foreground callers populate any section they need themselves, so a section the
     * background could not populate is either healed by them or reported as their failure.
     */
    void populateInBackground(BackgroundGate gate) {
        this.gate = gate;
        try {
            populateSections(gate);
        } finally {
            backgroundDone.countDown();
        }
    }

    private void populateSections(BackgroundGate gate) {
        for (int i = 0; i < populated.length() && !stopping; i++) {
            gate.pass(() -> stopping);
            if (!stopping && populated.get(i) == 0) {
                populateSection(i);
            }
        }
    }

    /** Makes sure the memmap of pfns {@code [fromPfn, toPfn)} is mapped. */
    void ensurePopulated(long fromPfn, long toPfn) {
        int shift = sections.sectionPfnShift();
        int first = (int) ((fromPfn >>> shift) - firstSection);
        int last = (int) (((toPfn - 1) >>> shift) - firstSection);
        for (int i = first; i <= last; i++) {
            if (populated.get(i) == 0) {
                populateSection(i);
            }
        }
    }

    private void populateSection(int i) {
        ReentrantLock lock = sections.populateLock(firstSection + i);
        Object event =
                MemmapEvents.beginPopulate(); // never under the lock: the first one may be slow
        long[] pfns = null;
        lock.lock();
        try {
            TestHooks.reach(TestHooks.Point.SECTION_LOCKED);
            if (populated.get(i) == 0) {
                pfns = sectionPfns(i);
                if (reuse != null) {
                    pageTable.populateCompound(reuse, pfns[0], pfns[1]);
                } else {
                    pageTable.populate(
                            VmemmapSpace.offsetOf(pfns[0]),
                            VmemmapSpace.offsetOf(pfns[1]),
                            blockSize,
                            altmap,
                            premapped(i));
                }
                populated.set(i, 1);
            }
        } finally {
            lock.unlock();
        }
        if (pfns != null) {
            MemmapEvents.commitPopulate(
                    event, firstSection + i, pfns[0], pfns[1] - pfns[0], altmap != null);
        }
    }

    /**
     * Unmaps the blocks of this range that no present sub-section of another range uses. Call
     * before the range's sections are released, so that no other range can be added over them (and
     * premap their memmap) until their blocks are unmapped.
     */
    void depopulate() {
        for (int i = 0; i < populated.length(); i++) {
            ReentrantLock lock = sections.populateLock(firstSection + i);
            lock.lock();
            try {
                long[] pfns = sectionPfns(i);
                pageTable.depopulate(
                        VmemmapSpace.offsetOf(pfns[0]),
                        VmemmapSpace.offsetOf(pfns[1]),
                        blockSize,
                        this::blockInUse,
                        premapped(i));
                if (reuse != null) {
                    reuse.depopulate(pfns[0], pfns[1]);
                }
                populated.set(i, 0);
            } finally {
                lock.unlock();
            }
        }
        if (reuse != null) {
            reuse.close();
        }
    }

    /**
     * True when a block's pages outside this range have present sub-sections whose memmap is in the
     * flat vmemmap (the range's own are still present). Memory with vmemmap tail reuse reads its
     * struct pages through its own frames, so it never keeps a flat block mapped.
     */
    private boolean blockInUse(long memmapOffset) {
        long start = Pages.physAddr(memmapOffset >>> Pages.STRUCT_PAGE_SHIFT);
        long end = Pages.physAddr((memmapOffset + blockSize.bytes()) >>> Pages.STRUCT_PAGE_SHIFT);
        PhysicalRange own = range();
        return (start < own.start() && sections.anyFlatPresent(start, Math.min(end, own.start())))
                || (end > own.end() && sections.anyFlatPresent(Math.max(start, own.end()), end));
    }

    /** {first pfn, end pfn} of this range inside section index {@code i}. */
    private long[] sectionPfns(int i) {
        long sectionStart = (firstSection + i) * sections.sectionSize();
        long start = Math.max(range().start(), sectionStart);
        long end = Math.min(range().end(), sectionStart + sections.sectionSize());
        return new long[] {Pages.pfn(start), Pages.pfn(end)};
    }

    /** True when the memmap block holding {@code pfn}'s struct page is mapped. */
    boolean isMemmapMapped(long pfn) {
        if (reuse != null) {
            return reuse.isPopulated(pfn);
        }
        return pageTable.isPopulated(VmemmapSpace.offsetOf(pfn), blockSize);
    }

    /** Asks the background population to stop after the current section. */
    void stop() {
        stopping = true;
        BackgroundGate g = gate;
        if (g != null) {
            g.wake();
        }
    }

    /**
     * Waits for the background population, if any, to end; returns false when the timeout passed
     * first. Returns true at once when there is none, even in an interrupted thread.
     */
    boolean awaitBackground(Duration timeout) throws InterruptedException {
        return backgroundDone.getCount() == 0
                || backgroundDone.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
