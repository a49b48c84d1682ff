package dev.zonedev.core;

import dev.zonedev.api.MemmapState;
import dev.zonedev.api.Pages;
import java.lang.foreign.MemorySegment;

/**
 * The test-only side of one {@link Engine}, obtained with {@link Engine#testing()}: what tests, the
 * TCK, scenarios, soak runs and benchmarks need in order to force what production never does on
 * purpose (a failed vmemmap allocation, background work held back) and to look inside (lock
 * snapshots, allocation counts, the memmap and its sub-range cut). Production code must not call
 * it; the module rules allow the cli to reach it only from its scenario and soak code.
 *
 * <p>Thread-safe: every method is a snapshot or a thread-safe control, as its documentation says.
 * Unarmed, the hooks cost the engine one volatile read on a per-sub-range or per-section path,
 * never in the per-page loop.
 */
public final class EngineTesting {
    private final Engine engine;
    private final PageTable pageTable;
    private final SectionRegistry sections;
    private final Hotplug hotplug;

    EngineTesting(Engine engine, PageTable pageTable, SectionRegistry sections, Hotplug hotplug) {
        this.engine = engine;
        this.pageTable = pageTable;
        this.sections = sections;
        this.hotplug = hotplug;
    }

    /** Fault injection for the vmemmap levels and altmaps: makes a chosen allocation fail. */
    public FaultInjector faults() {
        return engine.faults();
    }

    /** The gate that holds the engine's background memmap work back. */
    public BackgroundGate backgroundGate() {
        return engine.backgroundGate();
    }

    /**
     * The physical address map where device memory is registered, for checks that register memory
     * without a namespace.
     */
    public PhysicalMemory physicalMemory() {
        return engine.physicalMemory();
    }

    /**
     * True while any vmemmap lock is held: a page-table lock (pgd, p4d, pud), a section's populate
     * lock or an altmap allocator's lock (invariant 6). A snapshot.
     */
    public boolean anyVmemmapLockHeld() {
        return pageTable.anyLockHeld()
                || sections.anyPopulateLockHeld()
                || hotplug.anyAltmapLockHeld();
    }

    /**
     * Bytes of the section registry's sub-section maps now: one 64-bit word per 128 MiB present
     * (two where the memmap is flat), in chunks of 64 GiB of address space. A snapshot.
     */
    public long sectionMapBytes() {
        return sections.bitmapBytes();
    }

    /** Allocations made so far at a vmemmap level. A snapshot. */
    public long vmemmapAllocations(VmemmapLevel level) {
        return pageTable.allocations(level);
    }

    /** The whole memmap of {@code pagemap}'s engine: the struct page of pfn at {@code pfn << 6}. */
    public MemorySegment memmap(DevicePagemap pagemap) {
        return pagemap.initializerMemmap();
    }

    /** Sub-ranges the pagemap's initializer cut its pages into. */
    public int subRanges(DevicePagemap pagemap) {
        return pagemap.initializer().nrSubRanges();
    }

    /** Pages per sub-range of the pagemap (the last may be shorter). */
    public long subRangePages(DevicePagemap pagemap) {
        return pagemap.initializer().subRangePages();
    }

    /**
     * Bytes of bookkeeping the initializer keeps per sub-range (its claim state, count, owner,
     * timestamps and node): a formula over the fields, not a measurement.
     */
    public int bookkeepingBytesPerSubRange() {
        return MemmapInitializer.bookkeepingBytesPerSubRange();
    }

    /**
     * Rewrites the struct pages of device pfns {@code [pfn, endPfn)} of a fully initialized pagemap
     * with the engine's page loop, from the calling thread, with no claim and no population: the
     * cost of initializing memmap that is already mapped and warm. The pages get the bytes they
     * already hold. Allocates nothing.
     *
     * @throws IllegalArgumentException the pfns are not device pfns of the pagemap
     * @throws IllegalStateException the pagemap's memmap is not fully initialized
     */
    public void reinitialize(DevicePagemap pagemap, long pfn, long endPfn) {
        reinitialize(pagemap, pfn, endPfn, PageInit.FIELDS);
    }

    /**
     * {@link #reinitialize(DevicePagemap, long, long)} with the page writer {@code writer}: {@link
     * PageInit#TEMPLATE} copies the pagemap's own template page as its workers do. Allocates
     * nothing.
     *
     * @throws IllegalArgumentException the pfns are not device pfns of the pagemap
     * @throws IllegalStateException the pagemap's memmap is not fully initialized
     */
    public void reinitialize(DevicePagemap pagemap, long pfn, long endPfn, PageInit writer) {
        if (pfn < pagemap.firstDevicePfn() || endPfn < pfn || endPfn > pagemap.range().endPfn()) {
            throw new IllegalArgumentException(
                    "pfns ["
                            + pfn
                            + ", "
                            + endPfn
                            + ") are not device pfns of "
                            + pagemap.range()
                            + " (accepted: "
                            + pagemap.firstDevicePfn()
                            + " to "
                            + pagemap.range().endPfn()
                            + ")");
        }
        if (pagemap.memmapState() != MemmapState.IDLE) {
            throw new IllegalStateException("the memmap of " + pagemap.range() + " is still busy");
        }
        int sectionPfnShift =
                Long.numberOfTrailingZeros(engine.arch().sectionSize()) - Pages.PAGE_SHIFT;
        if (writer == PageInit.TEMPLATE) {
            pagemap.initializer()
                    .deviceTemplate()
                    .initRange(pagemap.initializerMemmap(), pfn, endPfn, sectionPfnShift);
            return;
        }
        StructPage.initRange(
                pagemap.initializerMemmap(),
                pfn,
                endPfn,
                StructPage.baseFlags(pagemap.addedRange().nid()),
                sectionPfnShift,
                pagemap.id(),
                StructPage.LIST_POISON2);
    }
}
