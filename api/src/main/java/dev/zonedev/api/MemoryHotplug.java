package dev.zonedev.api;

/**
 * The engine's generic half of memory hot-add ({@code __add_pages}), handed to {@link
 * Arch#addMemory}. Thread-safe.
 */
public interface MemoryHotplug {
    /**
     * Cuts the range into sections, registers them and populates their virtual memmap. With {@link
     * AddMemoryRequest#async()} present the population runs in the background and this returns once
     * it is scheduled; otherwise it returns once every section is populated.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} for a range not aligned to 2 MiB or an
     *     altmap that does not start at the range, is larger than it, or is too small for its
     *     memmap by the rule of {@link AltmapBlocks#checkFits}; {@link ErrorCode#EXISTS} when the
     *     range overlaps one already present; {@link ErrorCode#OUT_OF_MEMORY} when a synchronous
     *     population fails. In every case nothing of the request stays added.
     */
    void addPages(AddMemoryRequest request);
}
