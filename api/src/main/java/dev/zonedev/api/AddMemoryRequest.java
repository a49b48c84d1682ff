package dev.zonedev.api;

import java.util.Optional;

/**
 * The arguments of {@code arch_add_memory}. Immutable.
 *
 * @param nid NUMA node the memory belongs to, 0 to 1023 ({@link PageFlags#checkNode})
 * @param range the physical range; start and size multiples of {@link Pages#SUBSECTION_SIZE}
 * @param altmap where the memmap blocks come from, when not from RAM
 * @param async present when the caller wants the work done in the background
 */
public record AddMemoryRequest(
        int nid, PhysicalRange range, Optional<VmemAltmap> altmap, Optional<MemmapAsync> async) {
    public AddMemoryRequest {
        ZoneDeviceException.requirePresent(range, "range");
        ZoneDeviceException.requirePresent(altmap, "altmap");
        ZoneDeviceException.requirePresent(async, "async");
        PageFlags.checkNode("", nid);
    }

    /** The same request, to be done synchronously. */
    public AddMemoryRequest synchronous() {
        return new AddMemoryRequest(nid, range, altmap, Optional.empty());
    }
}
