package dev.zonedev.api;

/**
 * The fields a struct page's flags word holds besides the page flags proper, and how wide they are
 * ({@code include/linux/page-flags-layout.h}): from the top, the zone (3 bits), the NUMA node (10
 * bits) and the memory section number (20 bits), above 31 bits of page flags. A value wider than
 * its field would spill into its neighbour (a node of 1024 reads back as another zone), so every
 * value is bounded where it enters the API: a node id by {@link #checkNode}, the section numbers of
 * an engine's physical address space by {@link #checkSections}. Stateless.
 */
public final class PageFlags {
    /** Bits of page flags proper, below the fields. */
    public static final int FLAG_BITS = 31;

    /** Bits of the section number. */
    public static final int SECTION_BITS = 20;

    /** Bits of the NUMA node id. */
    public static final int NODE_BITS = 10;

    /** Bits of the zone number. */
    public static final int ZONE_BITS = Long.SIZE - FLAG_BITS - SECTION_BITS - NODE_BITS;

    /** Position of the section field's lowest bit. */
    public static final int SECTION_SHIFT = FLAG_BITS;

    /** Position of the node field's lowest bit. */
    public static final int NODE_SHIFT = SECTION_SHIFT + SECTION_BITS;

    /** Position of the zone field's lowest bit. */
    public static final int ZONE_SHIFT = NODE_SHIFT + NODE_BITS;

    /** Node ids are 0 to {@code MAX_NODES - 1}. */
    public static final int MAX_NODES = 1 << NODE_BITS;

    /** Section numbers are 0 to {@code MAX_SECTIONS - 1}. */
    public static final long MAX_SECTIONS = 1L << SECTION_BITS;

    private PageFlags() {}

    /**
     * Checks a NUMA node id.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} for a node outside 0 to 1023, naming
     *     that range
     */
    public static void checkNode(String where, int nid) {
        if (nid < 0 || nid >= MAX_NODES) {
            throw ZoneDeviceException.invalid(
                    where
                            + "node "
                            + nid
                            + " is out of range; accepted: 0 to "
                            + (MAX_NODES - 1)
                            + " (the node field of a struct page's flags has "
                            + NODE_BITS
                            + " bits)");
        }
    }

    /**
     * The largest physical address space whose section numbers fit the section field with sections
     * of {@code sectionSize} bytes: {@code 2^20} sections.
     */
    public static long maxPhysicalBytes(long sectionSize) {
        return sectionSize > Long.MAX_VALUE / MAX_SECTIONS
                ? Long.MAX_VALUE
                : sectionSize * MAX_SECTIONS;
    }

    /**
     * Checks that every section number below {@code maxPhysicalBytes} fits the section field.
     *
     * @param where what is being checked, for the message (e.g. the arch)
     * @param sectionSize bytes per memory section, a power of two
     * @param maxPhysicalBytes one past the highest physical address
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} naming the sections needed and the
     *     accepted largest address space
     */
    public static void checkSections(String where, long sectionSize, long maxPhysicalBytes) {
        long most = maxPhysicalBytes(sectionSize);
        if (maxPhysicalBytes > most) {
            long sections = maxPhysicalBytes / sectionSize;
            throw ZoneDeviceException.invalid(
                    where
                            + "max physical address "
                            + maxPhysicalBytes
                            + " needs "
                            + sections
                            + " sections of "
                            + sectionSize
                            + " bytes, but the section field of a struct page's"
                            + " flags has "
                            + SECTION_BITS
                            + " bits ("
                            + MAX_SECTIONS
                            + " sections); accepted: at most "
                            + most
                            + " bytes ("
                            + (most >>> 40)
                            + " TiB) with this section size");
        }
    }
}
