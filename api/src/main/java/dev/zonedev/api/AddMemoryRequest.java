package dev.zonedev.api;

import java.util.Optional;

/**
 * The arguments of {@code arch_add_memory}. Immutable.
 *
 * @param nid NUMA node the memory belongs to, 0 to 1023 ({@link PageFlags#checkNode})
 * @param range the physical range; start and size multiples of {@link Pages#SUBSECTION_SIZE}
 * @param altmap where the memmap blocks come from, when not from RAM
 * @param async present when the caller wants the work done in the background
 * @param vmemmapShift the compound order of the pagemap being added ({@code mhp_params.pgmap}'s
 *     {@code vmemmap_shift}; 0 for ordinary pages), which lets the vmemmap population reuse tail
 *     pages; an arch passes it on unchanged
 */
public record AddMemoryRequest(
        int nid,
        PhysicalRange range,
        Optional<VmemAltmap> altmap,
        Optional<MemmapAsync> async,
        int vmemmapShift) {
    public AddMemoryRequest {
        ZoneDeviceException.requirePresent(range, "range");
        ZoneDeviceException.requirePresent(altmap, "altmap");
        ZoneDeviceException.requirePresent(async, "async");
        PageFlags.checkNode("", nid);
        if (vmemmapShift < 0 || vmemmapShift > PagemapRequest.MAX_VMEMMAP_SHIFT) {
            throw ZoneDeviceException.invalid(
                    "vmemmap shift "
                            + vmemmapShift
                            + " is out of range; accepted: 0 to "
                            + PagemapRequest.MAX_VMEMMAP_SHIFT);
        }
    }

    /** A request for ordinary struct pages. */
    public AddMemoryRequest(
            int nid,
            PhysicalRange range,
            Optional<VmemAltmap> altmap,
            Optional<MemmapAsync> async) {
        this(nid, range, altmap, async, 0);
    }

    /** The same request without the async handle. */
    public AddMemoryRequest synchronous() {
        return new AddMemoryRequest(nid, range, altmap, Optional.empty(), vmemmapShift);
    }
}
