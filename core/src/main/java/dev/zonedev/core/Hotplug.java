package dev.zonedev.core;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.AltmapBlocks;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapAsync;
import dev.zonedev.api.MemoryHotplug;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.VmemmapBlockSize;
import dev.zonedev.api.ZoneDeviceException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's generic memory hot-add and hot-remove ({@code __add_pages}, {@code __remove_pages}):
 * validates a range, reserves its sections, and populates their memmap now or schedules that on the
 * population domain. Thread-safe.
 */
final class Hotplug implements MemoryHotplug {
    private final SectionRegistry sections;
    private final PageTable pageTable;
    private final VmemmapBlockSize blockSize;
    private final FaultInjector faults;
    private final AsyncDomain populationDomain;
    private final long maxPhysicalBytes;
    private final BackgroundGate gate;
    private final NumaTopology numa;
    private final ConcurrentHashMap<Long, AddedRange> added = new ConcurrentHashMap<>();

    Hotplug(
            SectionRegistry sections,
            PageTable pageTable,
            VmemmapBlockSize blockSize,
            FaultInjector faults,
            AsyncDomain populationDomain,
            long maxPhysicalBytes,
            BackgroundGate gate,
            NumaTopology numa) {
        this.gate = gate;
        this.numa = numa;
        this.sections = sections;
        this.pageTable = pageTable;
        this.blockSize = blockSize;
        this.faults = faults;
        this.populationDomain = populationDomain;
        this.maxPhysicalBytes = maxPhysicalBytes;
    }

    @Override
    public void addPages(AddMemoryRequest request) {
        PhysicalRange range = request.range();
        validate(range, request.altmap());
        AsyncAdd async = request.async().map(Hotplug::engineHandle).orElse(null);
        VmemmapReuse reuse = VmemmapReuse.decide(request, sections.sharesSectionWithFlat(range));
        sections.reserve(range, !reuse.applies());
        AltmapAllocator altmap =
                request.altmap().map(a -> new AltmapAllocator(a, faults)).orElse(null);
        AddedRange addedRange = newAddedRange(request, altmap, async != null, reuse, range);
        try {
            addedRange.premap(numa);
        } catch (RuntimeException e) {
            sections.release(range);
            throw e;
        }
        added.put(range.start(), addedRange);
        if (async != null) {
            async.bind(addedRange);
            populationDomain.schedule(
                    "populate " + range, () -> addedRange.populateInBackground(gate));
            return;
        }
        try {
            addedRange.populateAll();
        } catch (RuntimeException e) {
            remove(
                    addedRange,
                    Duration.ZERO); // a synchronous add has no background population to wait for
            throw e;
        }
    }

    /**
     * Checks a range and its altmap without changing anything: 2 MiB aligned, inside the physical
     * address space, an altmap at the range's start that fits it and can hold its memmap.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} or {@link ErrorCode#OUT_OF_RANGE}
     *     naming what is accepted
     */
    void validate(PhysicalRange range, Optional<VmemAltmap> altmap) {
        if (!range.isAligned(Pages.SUBSECTION_SIZE)) {
            throw ZoneDeviceException.invalid(
                    "range "
                            + range
                            + " is not aligned to 2 MiB; accepted: start and size"
                            + " multiples of "
                            + Pages.SUBSECTION_SIZE
                            + " bytes");
        }
        if (range.end() > maxPhysicalBytes) {
            throw ZoneDeviceException.outOfRange(
                    "range "
                            + range
                            + " ends beyond the physical address space [0, "
                            + maxPhysicalBytes
                            + ")");
        }
        if (altmap.isPresent()) {
            VmemAltmap a = altmap.get();
            if (a.basePfn() != range.startPfn() || a.offset() > range.nrPages()) {
                throw ZoneDeviceException.invalid(
                        "invalid altmap "
                                + a
                                + ": it must start at the range's first pfn "
                                + range.startPfn()
                                + " and its reserve + free must not exceed the range's "
                                + range.nrPages()
                                + " pages");
            }
            AltmapBlocks.checkFits(range, a, blockSize);
        }
    }

    private AddedRange newAddedRange(
            AddMemoryRequest request,
            AltmapAllocator altmap,
            boolean background,
            VmemmapReuse reuse,
            PhysicalRange range) {
        try {
            return new AddedRange(
                    request, altmap, sections, pageTable, blockSize, background, reuse);
        } catch (RuntimeException e) {
            sections.release(range);
            throw e;
        }
    }

    private static AsyncAdd engineHandle(MemmapAsync handle) {
        if (handle instanceof AsyncAdd a) {
            return a;
        }
        throw ZoneDeviceException.invalid(
                "async handle "
                        + handle.getClass().getName()
                        + " was not created by this engine; pass on the handle given in the request");
    }

    /** The range added at {@code range}, or null. */
    AddedRange added(PhysicalRange range) {
        AddedRange a = added.get(range.start());
        return a != null && a.range().equals(range) ? a : null;
    }

    /**
     * Removes an added range: stops and waits for its background population, unmaps the memmap
     * blocks no other range uses, and only then releases its sections (so no range can be added
     * over them while their memmap is still mapped) and forgets the range. Safe to call again after
     * it failed: each step is idempotent.
     *
     * @throws ZoneDeviceException {@link ErrorCode#BUSY} when the background population did not
     *     stop within {@code timeout}, {@link ErrorCode#INTERRUPTED} when interrupted while waiting
     *     for it; nothing was unmapped or released then
     */
    void remove(AddedRange range, Duration timeout) {
        range.stop();
        try {
            TestHooks.reach(TestHooks.Point.TEARDOWN_WAIT);
            if (!range.awaitBackground(timeout)) {
                throw ZoneDeviceException.busy(
                        "vmemmap population of " + range.range() + " did not stop in " + timeout);
            }
        } catch (InterruptedException e) {
            throw Interrupts.interrupted(
                    "interrupted waiting for the vmemmap population of "
                            + range.range()
                            + " to stop",
                    e);
        }
        TestHooks.reach(TestHooks.Point.BEFORE_UNMAP);
        range.depopulate();
        sections.release(range.range());
        added.remove(range.range().start(), range);
    }

    /** True while the altmap allocator of any added range is locked (invariant 6). */
    boolean anyAltmapLockHeld() {
        for (AddedRange a : added.values()) {
            if (a.altmap() != null && a.altmap().locked()) {
                return true;
            }
        }
        return false;
    }
}
