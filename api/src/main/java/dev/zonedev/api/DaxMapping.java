package dev.zonedev.api;

/**
 * One mapping a fault installed: {@code size} bytes of the device from byte {@code offset} mapped
 * to the pages from {@code pfn}, whose struct pages were initialized before the mapping was
 * recorded: the answer of {@link PageFaults#fault}. Immutable.
 *
 * @param offset device byte offset, a multiple of {@code size}
 * @param pfn first pfn of the mapping ({@code DEV|MAP})
 * @param size the fault size
 */
public record DaxMapping(long offset, Pfn pfn, FaultSize size) {
    /**
     * Checks that no component is null.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} naming the missing component
     */
    public DaxMapping {
        ZoneDeviceException.requirePresent(pfn, "pfn");
        ZoneDeviceException.requirePresent(size, "size");
    }

    /** Base pages the mapping covers, from {@link #pfn()} on. */
    public long pages() {
        return size.pages();
    }

    /** One past the last byte mapped. */
    public long end() {
        return offset + size.bytes();
    }
}
