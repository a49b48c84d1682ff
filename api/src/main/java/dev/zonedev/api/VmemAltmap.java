package dev.zonedev.api;

/**
 * Describes the part of a device set aside to hold its own memmap ({@code struct vmem_altmap}).
 * With an altmap, memmap blocks are carved from the device pages starting at {@code basePfn +
 * reserve} instead of from RAM. Immutable: the allocation state lives in the engine.
 *
 * @param basePfn first pfn of the device range; must equal the range's first pfn
 * @param reserve pages at the start kept for the driver's info block; never used for the memmap
 * @param free pages after the reserve available for memmap blocks
 * @param align pages skipped so far to meet block alignment (normally 0 when described)
 * @param alloc pages allocated so far (normally 0 when described)
 */
public record VmemAltmap(long basePfn, long reserve, long free, long align, long alloc) {
    public VmemAltmap {
        if (basePfn < 0 || reserve < 0 || free < 0 || align < 0 || alloc < 0) {
            throw ZoneDeviceException.invalid(
                    "altmap "
                            + describe(basePfn, reserve, free, align, alloc)
                            + " has a negative field; accepted: all fields 0 or more");
        }
        if (reserve > Long.MAX_VALUE - free) {
            throw ZoneDeviceException.invalid(
                    "altmap "
                            + describe(basePfn, reserve, free, align, alloc)
                            + " has reserve + free beyond 2^63 pages");
        }
        if (align > free || alloc > free - align) {
            throw ZoneDeviceException.invalid(
                    "altmap "
                            + describe(basePfn, reserve, free, align, alloc)
                            + " has alloc + align beyond free");
        }
    }

    /** A fresh altmap with nothing allocated. */
    public static VmemAltmap of(long basePfn, long reserve, long free) {
        return new VmemAltmap(basePfn, reserve, free, 0, 0);
    }

    /**
     * Pages from {@code basePfn} that are not device pages ({@code vmem_altmap_offset}): the
     * reserve plus the space for the memmap. Their struct pages are not initialized.
     */
    public long offset() {
        return reserve + free;
    }

    private static String describe(long basePfn, long reserve, long free, long align, long alloc) {
        return "{base_pfn="
                + basePfn
                + ", reserve="
                + reserve
                + ", free="
                + free
                + ", align="
                + align
                + ", alloc="
                + alloc
                + "}";
    }

    @Override
    public String toString() {
        return describe(basePfn, reserve, free, align, alloc);
    }
}
