package dev.zonedev.driver.devdax;

import dev.zonedev.api.Pfn;
import java.util.Objects;

/**
 * One mapping a fault installed: {@code size} bytes of the device from byte {@code offset}
 * mapped to the pages from {@code pfn}, whose struct pages were initialized before the
 * mapping was recorded. Immutable.
 *
 * @param offset device byte offset, a multiple of {@code size}
 * @param pfn    first pfn of the mapping ({@code DEV|MAP})
 * @param size   the fault size
 */
public record DaxMapping(long offset, Pfn pfn, FaultSize size) {
    /** Checks that no component is null. */
    public DaxMapping {
        Objects.requireNonNull(pfn, "pfn");
        Objects.requireNonNull(size, "size");
    }

    /** One past the last byte mapped. */
    public long end() {
        return offset + size.bytes();
    }
}
