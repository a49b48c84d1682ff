package dev.zonedev.api.pfn;

import dev.zonedev.api.AltmapBlocks;
import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Finds, checks or writes the info block of a namespace ({@code nd_pfn_validate} + {@code
 * nd_pfn_init}). The rules, in order:
 *
 * <ol>
 *   <li>A blank info-block page (all zero) is a fresh namespace: a block is laid out from the
 *       options ({@link PfnLayout#compute}) and written, then forced to storage when the namespace
 *       is a mapped file. Only the 4 KiB block page is written.
 *   <li>Anything else must decode ({@link PfnInfoBlock#decode}); a foreign, corrupt or unsupported
 *       page is refused and nothing is written, ever.
 *   <li>The block must fit the namespace: same size (smaller means truncated: {@code IO_ERROR};
 *       larger means the namespace grew: {@code INVALID}), same parent uuid, data aligned as
 *       recorded, and with {@code map=dev} an altmap with room for the memmap of the whole range by
 *       the engine's allocation rule ({@link AltmapBlocks}), so that a block that binds never runs
 *       out of altmap later.
 *   <li>Options must agree with the block: {@code map=} when given, and the namespace alignment;
 *       otherwise {@code INVALID} naming both values.
 *   <li>A block of the other kind (fsdax vs devdax) is a mode switch. It is refused ({@code BUSY})
 *       unless the option {@code relabel=true} is given; then the block is rewritten with the new
 *       signature and the same uuid, data offset, page count, map and alignment, so the data at the
 *       data offset is kept as it is.
 * </ol>
 *
 * Options read: {@code map=mem|dev}, {@code relabel=true|false}, {@code uuid=<namespace uuid>}
 * (default: a name-based uuid of the namespace name). Stateless; callers serialize binds of one
 * namespace (the platform binds a namespace once).
 */
public final class InfoBlockStore {
    /** Option naming where the memmap lives: {@code mem} (default) or {@code dev}. */
    public static final String OPTION_MAP = "map";

    /** Option allowing a mode switch to relabel an info block of the other kind. */
    public static final String OPTION_RELABEL = "relabel";

    /** Option giving the namespace uuid recorded as the block's parent. */
    public static final String OPTION_UUID = "uuid";

    private static final Pattern UUID_FORM =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private InfoBlockStore() {}

    /**
     * Returns the namespace's info block of kind {@code want}, writing a fresh one on a blank
     * namespace or relabelling one when allowed, as described above.
     *
     * @throws ZoneDeviceException {@code IO_ERROR} for a foreign, corrupt or truncated block, or a
     *     {@code map=dev} block whose data offset leaves too little altmap for the memmap (naming
     *     the accepted data offsets); {@code INVALID} for bad options, options that disagree with
     *     the block, an unsupported version or a namespace too small; {@code BUSY} for a block of
     *     the other mode without {@code relabel=true}. In every case the namespace is untouched.
     */
    public static PfnInfoBlock probeOrCreate(NamespaceDevice device, InfoBlockKind want) {
        String where = device.name();
        long size = device.range().size();
        if (device.memory().byteSize() < size) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": storage holds "
                            + device.memory().byteSize()
                            + " bytes, less than the namespace range "
                            + device.range()
                            + " of "
                            + size
                            + " bytes");
        }
        if (size < PfnInfoBlock.RESERVE + Pages.PAGE_SIZE) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": namespace of "
                            + size
                            + " bytes cannot hold an info block"
                            + " and data; accepted: at least "
                            + (PfnInfoBlock.RESERVE + Pages.PAGE_SIZE)
                            + " bytes");
        }
        String mapOption = device.options().get(OPTION_MAP);
        MapLocation requested = mapOption == null ? null : MapLocation.parse(mapOption);
        boolean relabel = parseBoolean(where, OPTION_RELABEL, device.options().get(OPTION_RELABEL));
        UUID parent = parentUuid(device);
        MemorySegment page = device.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE);

        if (PfnInfoBlock.isBlank(page)) {
            PfnLayout layout =
                    PfnLayout.compute(
                            where,
                            device.range(),
                            device.align(),
                            requested == null ? MapLocation.MEM : requested);
            PfnInfoBlock block =
                    new PfnInfoBlock(
                            want,
                            UUID.randomUUID(),
                            parent,
                            PfnInfoBlock.VERSION_MAJOR,
                            PfnInfoBlock.VERSION_MINOR,
                            layout.dataOffset(),
                            layout.npfns(),
                            layout.map(),
                            layout.align(),
                            size);
            write(page, block);
            return block;
        }

        PfnInfoBlock block = PfnInfoBlock.decode(page, where);
        checkFits(device, block);
        if (requested != null && requested != block.map()) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": option map="
                            + requested.text()
                            + " disagrees with the info"
                            + " block, which keeps the memmap in map="
                            + block.map().text()
                            + "; accepted: map="
                            + block.map().text()
                            + " or no map option");
        }
        if (device.align() != block.align()) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": namespace alignment "
                            + device.align()
                            + " disagrees with"
                            + " the info block's "
                            + block.align()
                            + "; accepted: "
                            + block.align());
        }
        if (block.kind() != want) {
            if (!relabel) {
                throw ZoneDeviceException.busy(
                        where
                                + ": namespace holds a "
                                + block.kind().mode().text()
                                + " info block; bind it as "
                                + block.kind().mode().text()
                                + ", or pass "
                                + OPTION_RELABEL
                                + "=true to switch it to "
                                + want.mode().text()
                                + " keeping the data at offset "
                                + block.dataOffset());
            }
            block = block.relabel(want);
            write(page, block);
        }
        return block;
    }

    /** The namespace uuid: option {@code uuid=}, else a name-based uuid of the name. */
    public static UUID parentUuid(NamespaceDevice device) {
        String text = device.options().get(OPTION_UUID);
        if (text == null) {
            return UUID.nameUUIDFromBytes(
                    ("zonedev-namespace:" + device.name()).getBytes(StandardCharsets.UTF_8));
        }
        // UUID.fromString alone also reads shortened groups ("1-1-1-1-1") and signs ("+1-2-3-4-5")
        if (!UUID_FORM.matcher(text.strip()).matches()) {
            throw ZoneDeviceException.invalid(
                    device.name()
                            + ": option uuid="
                            + text
                            + " is not a uuid; accepted: the 8-4-4-4-12 hex form");
        }
        return UUID.fromString(text.strip());
    }

    private static void checkFits(NamespaceDevice device, PfnInfoBlock block) {
        String where = device.name();
        long size = device.range().size();
        if (block.namespaceSize() > size) {
            throw ZoneDeviceException.ioError(
                    where
                            + ": namespace is truncated: the info block describes "
                            + block.namespaceSize()
                            + " bytes (data up to offset "
                            + (block.dataOffset() + block.dataSize())
                            + ") but the namespace holds "
                            + size
                            + "; the namespace was left untouched");
        }
        if (block.namespaceSize() < size) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": namespace grew from the "
                            + block.namespaceSize()
                            + " bytes its info block describes to "
                            + size
                            + "; accepted: "
                            + block.namespaceSize()
                            + " bytes");
        }
        UUID parent = parentUuid(device);
        if (!block.parentUuid().equals(parent)) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": the info block belongs to namespace uuid "
                            + block.parentUuid()
                            + ", not to this namespace ("
                            + parent
                            + "); accepted: option "
                            + OPTION_UUID
                            + "="
                            + block.parentUuid()
                            + " if the namespace was renamed");
        }
        if ((device.range().start() + block.dataOffset()) % block.align() != 0) {
            throw ZoneDeviceException.ioError(
                    where
                            + ": info block data offset "
                            + block.dataOffset()
                            + " does not put the data on a "
                            + block.align()
                            + "-byte boundary of "
                            + device.range());
        }
        if (block.map() == MapLocation.DEV) {
            checkAltmapRoom(device, block);
        }
    }

    /**
     * A {@code map=dev} block must leave the altmap room for the memmap of the whole range by the
     * rule the engine allocates with ({@link AltmapBlocks}), on any arch: otherwise the bind would
     * succeed and a later pfn or {@code sync} would fail with the altmap exhausted.
     */
    private static void checkAltmapRoom(NamespaceDevice device, PfnInfoBlock block) {
        PhysicalRange range = device.range();
        VmemAltmap altmap = PfnLayout.of(block).altmap(range).orElseThrow();
        long needed = AltmapBlocks.pagesNeededOnAnyArch(range, altmap.reserve());
        if (altmap.free() < needed) {
            long least =
                    alignUp(
                                    range.start() + PfnInfoBlock.RESERVE + needed * Pages.PAGE_SIZE,
                                    block.align())
                            - range.start();
            throw ZoneDeviceException.ioError(
                    device.name()
                            + ": info block says map=dev with the data at offset "
                            + block.dataOffset()
                            + ", which leaves the altmap "
                            + altmap.free()
                            + " pages for the memmap, but"
                            + " the memmap of "
                            + range.size()
                            + " bytes takes "
                            + needed
                            + " pages in 2 MiB blocks (the first"
                            + " aligned to 2 MiB after the "
                            + PfnInfoBlock.RESERVE
                            + "-byte reserve); the namespace was left"
                            + " untouched; accepted: a data offset from "
                            + least
                            + " to "
                            + (range.size() - Pages.PAGE_SIZE)
                            + " bytes on a "
                            + block.align()
                            + "-byte boundary");
        }
    }

    private static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    private static void write(MemorySegment page, PfnInfoBlock block) {
        block.encode(page);
        if (page.isMapped()) {
            page.force();
        }
    }

    private static boolean parseBoolean(String where, String key, String value) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default ->
                    throw ZoneDeviceException.invalid(
                            where
                                    + ": option "
                                    + key
                                    + "="
                                    + value
                                    + " is not a boolean; accepted: true, false");
        };
    }
}
