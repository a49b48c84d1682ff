package dev.zonedev.api;

/**
 * A range of physical addresses {@code [start, start + size)}. Immutable.
 *
 * @param start first byte, not negative
 * @param size length in bytes, positive; {@code start + size} does not overflow
 * @throws ZoneDeviceException {@link ErrorCode#INVALID} when start is negative, size is not
 *     positive, or the end overflows
 */
public record PhysicalRange(long start, long size) {
    public PhysicalRange {
        if (start < 0) {
            throw ZoneDeviceException.invalid(
                    "range start " + start + " is negative; accepted: 0 or more");
        }
        if (size <= 0) {
            throw ZoneDeviceException.invalid(
                    "range size " + size + " is not positive; accepted: 1 or more bytes");
        }
        if (start + size < 0) {
            throw ZoneDeviceException.invalid(
                    "range [" + start + ", +" + size + ") overflows the address space");
        }
    }

    /** The range of {@code nrPages} pages from {@code startPfn}. */
    public static PhysicalRange ofPages(long startPfn, long nrPages) {
        if (startPfn < 0
                || nrPages <= 0
                || startPfn > (Long.MAX_VALUE >>> Pages.PAGE_SHIFT)
                || nrPages > (Long.MAX_VALUE >>> Pages.PAGE_SHIFT)) {
            throw ZoneDeviceException.invalid(
                    "page range "
                            + startPfn
                            + "+"
                            + nrPages
                            + " is not valid; accepted: start >= 0 and 1 or more pages");
        }
        return new PhysicalRange(Pages.physAddr(startPfn), Pages.physAddr(nrPages));
    }

    /** One past the last byte. */
    public long end() {
        return start + size;
    }

    /** First pfn (the range's start rounded down to a page). */
    public long startPfn() {
        return Pages.pfn(start);
    }

    /** One past the last pfn (the end rounded up to a page). */
    public long endPfn() {
        return Pages.pfn(end() + Pages.PAGE_SIZE - 1);
    }

    /** Number of pages the range touches. */
    public long nrPages() {
        return endPfn() - startPfn();
    }

    /** True when both ends are multiples of {@code alignment} (a power of two). */
    public boolean isAligned(long alignment) {
        long mask = alignment - 1;
        return (start & mask) == 0 && (size & mask) == 0;
    }

    /** True when the two ranges share at least one byte. */
    public boolean overlaps(PhysicalRange other) {
        return start < other.end() && other.start < end();
    }

    /** True when {@code other} lies entirely inside this range. */
    public boolean contains(PhysicalRange other) {
        return other.start >= start && other.end() <= end();
    }

    /** True when the pfn lies inside this range. */
    public boolean containsPfn(long pfn) {
        return pfn >= startPfn() && pfn < endPfn();
    }

    @Override
    public String toString() {
        return String.format("[%#x-%#x]", start, end() - 1);
    }
}
