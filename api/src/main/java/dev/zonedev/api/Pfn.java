package dev.zonedev.api;

/**
 * A page frame number with its {@code pfn_t} flags. Immutable.
 *
 * @param value the page frame number, not negative
 * @param flags a combination of {@link #DEV}, {@link #MAP} and {@link #SPECIAL}
 */
public record Pfn(long value, int flags) {
    /** The pfn belongs to a device (pmem, device-dax), not to System RAM. */
    public static final int DEV = 1;

    /** The pfn has a struct page in the memmap ({@code pfn_t_has_page}). */
    public static final int MAP = 1 << 1;

    /** The pfn is mapped with a special pte (no struct page refcounting). */
    public static final int SPECIAL = 1 << 2;

    public Pfn {
        if (value < 0) {
            throw ZoneDeviceException.invalid("pfn " + value + " is negative");
        }
        if ((flags & ~(DEV | MAP | SPECIAL)) != 0) {
            throw ZoneDeviceException.invalid(
                    "pfn flags "
                            + Integer.toBinaryString(flags)
                            + " has unknown bits; accepted: DEV, MAP, SPECIAL");
        }
    }

    /** A device pfn with a struct page: what pmem and device-dax hand out. */
    public static Pfn devMap(long value) {
        return new Pfn(value, DEV | MAP);
    }

    /** True when the pfn has a struct page (the {@link #MAP} flag). */
    public boolean hasPage() {
        return (flags & MAP) != 0;
    }

    /** The physical address of the page. */
    public long physAddr() {
        return Pages.physAddr(value);
    }

    @Override
    public String toString() {
        return String.format(
                "pfn %#x%s%s%s",
                value,
                (flags & DEV) != 0 ? " dev" : "",
                (flags & MAP) != 0 ? " map" : "",
                (flags & SPECIAL) != 0 ? " special" : "");
    }
}
