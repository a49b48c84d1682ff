package dev.zonedev.api;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * The answer of {@link DaxDevice#directAccess}: a kernel-address view of the device from the
 * requested page on, and the pfn when one was asked for. Immutable.
 *
 * @param kernelAddress a view of {@code availablePages} pages of device memory
 * @param availablePages pages usable from the requested offset, at least 1
 * @param pfn the first page's pfn, present only when the caller asked for it; its struct pages are
 *     initialized for all {@code availablePages}
 */
public record DirectAccess(MemorySegment kernelAddress, long availablePages, Optional<Pfn> pfn) {
    public DirectAccess {
        ZoneDeviceException.requirePresent(kernelAddress, "kernelAddress");
        ZoneDeviceException.requirePresent(pfn, "pfn");
        if (availablePages < 1) {
            throw ZoneDeviceException.invalid("available pages " + availablePages + " < 1");
        }
    }
}
