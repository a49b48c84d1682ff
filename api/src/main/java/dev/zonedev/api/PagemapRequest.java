package dev.zonedev.api;

import java.util.Optional;

/**
 * What a driver asks {@link DriverContext#memremapPages} for. Immutable.
 *
 * @param range device range, start and size multiples of {@link Pages#SUBSECTION_SIZE}
 * @param nid NUMA node, 0 to 1023 ({@link PageFlags#checkNode})
 * @param altmap the device's own area for its memmap ({@code map=dev}), or empty for RAM
 * @param async ask for background initialization; the engine falls back to synchronous work when
 *     the arch answers would-block
 * @param vmemmapShift the kernel's {@code pgmap->vmemmap_shift}: 0 for one ordinary struct page per
 *     page, else the order of the compound pages the device pages form (9 for 2 MiB, 18 for 1 GiB
 *     device-dax); 0 to {@value #MAX_VMEMMAP_SHIFT}
 */
public record PagemapRequest(
        PhysicalRange range,
        int nid,
        Optional<VmemAltmap> altmap,
        boolean async,
        int vmemmapShift) {
    /** The largest compound order accepted: 1 GiB pages of 4 KiB. */
    public static final int MAX_VMEMMAP_SHIFT = 18;

    public PagemapRequest {
        ZoneDeviceException.requirePresent(range, "range");
        ZoneDeviceException.requirePresent(altmap, "altmap");
        PageFlags.checkNode("", nid);
        if (vmemmapShift < 0 || vmemmapShift > MAX_VMEMMAP_SHIFT) {
            throw ZoneDeviceException.invalid(
                    "vmemmap shift "
                            + vmemmapShift
                            + " is out of range; accepted: 0 (ordinary pages) to "
                            + MAX_VMEMMAP_SHIFT
                            + " (1 GiB compound pages)");
        }
    }

    /** A request for ordinary struct pages (vmemmap shift 0). */
    public PagemapRequest(
            PhysicalRange range, int nid, Optional<VmemAltmap> altmap, boolean async) {
        this(range, nid, altmap, async, 0);
    }

    /**
     * The compound order for device-dax mappings of {@code align} bytes: 0 for 4 KiB, 9 for 2 MiB,
     * 18 for 1 GiB ({@code order_base_2(align >> PAGE_SHIFT)}).
     */
    public static int vmemmapShiftFor(long align) {
        return Long.numberOfTrailingZeros(Math.max(align, Pages.PAGE_SIZE)) - Pages.PAGE_SHIFT;
    }
}
