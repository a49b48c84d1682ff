package dev.zonedev.api;

/** What the platform offers a driver while it binds. Thread-safe. */
public interface DriverContext {
    /**
     * Registers device pages and starts building their memmap ({@code devm_memremap_pages}).
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} for a misaligned range or a bad altmap
     *     (one too small for the range's memmap included, see {@link AltmapBlocks}), {@link
     *     ErrorCode#EXISTS} for a range already registered, {@link ErrorCode#OUT_OF_MEMORY} when
     *     the memmap cannot be populated, or when the RAM it would pin does not fit in what the
     *     process can use (then nothing is registered)
     */
    DevPagemap memremapPages(PagemapRequest request);
}
