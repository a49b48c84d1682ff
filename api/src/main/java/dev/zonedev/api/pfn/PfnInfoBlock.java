package dev.zonedev.api.pfn;

import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The on-media info block of a pfn or dax device ({@code struct nd_pfn_sb}, version 1.4), plus one
 * zonedev field, the namespace size. It lives in the 4 KiB page at {@link #OFFSET} of the
 * namespace; all integers are little-endian:
 *
 * <pre>
 * offset size field
 *      0   16 signature        "NVDIMM_PFN_INFO\0" (fsdax) or "NVDIMM_DAX_INFO\0" (devdax)
 *     16   16 uuid             this pfn device (big-endian UUID bytes)
 *     32   16 parent_uuid      the namespace
 *     48    4 flags            0
 *     52    2 version_major    1
 *     54    2 version_minor    4
 *     56    8 dataoff          bytes from the namespace start to the first data page
 *     64    8 npfns            data pages
 *     72    4 mode             1 = map=mem (PFN_MODE_RAM), 2 = map=dev (PFN_MODE_PMEM)
 *     76    4 start_pad        0
 *     80    4 end_trunc        0
 *     84    4 align            mapping alignment in bytes: 4 KiB, 2 MiB or 1 GiB
 *     88    4 page_size        4096
 *     92    2 page_struct_size 64
 *     94    2 (zero)
 *     96    8 namespace_size   bytes of the namespace when the block was written (zonedev)
 *    104 3984 (zero)
 *   4088    8 checksum         nd_fletcher64 of the 4 KiB with this field zero
 * </pre>
 *
 * Immutable; {@link #decode} validates everything that can be checked without knowing the
 * namespace, {@link InfoBlockStore} the rest.
 *
 * @param kind fsdax or devdax, from the signature
 * @param uuid the pfn device's uuid
 * @param parentUuid the namespace's uuid
 * @param versionMajor major version; only {@link #VERSION_MAJOR} is understood
 * @param versionMinor minor version; {@link #VERSION_MINOR} or newer
 * @param dataOffset bytes from the namespace start to the first data page
 * @param npfns number of data pages
 * @param map where the memmap lives
 * @param align mapping alignment in bytes
 * @param namespaceSize namespace size in bytes when the block was written
 */
public record PfnInfoBlock(
        InfoBlockKind kind,
        UUID uuid,
        UUID parentUuid,
        int versionMajor,
        int versionMinor,
        long dataOffset,
        long npfns,
        MapLocation map,
        long align,
        long namespaceSize) {
    /** Offset of the block in the namespace. */
    public static final long OFFSET = 4096;

    /** Size of the block. */
    public static final long SIZE = 4096;

    /** Bytes at the start of the namespace reserved for the block (the altmap reserve). */
    public static final long RESERVE = OFFSET + SIZE;

    /** The major version written and understood. */
    public static final int VERSION_MAJOR = 1;

    /** The minor version written; older minors lack fields this version relies on. */
    public static final int VERSION_MINOR = 4;

    private static final ValueLayout.OfInt LE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final long OFF_UUID = 16;
    private static final long OFF_PARENT_UUID = 32;
    private static final long OFF_FLAGS = 48;
    private static final long OFF_VERSION_MAJOR = 52;
    private static final long OFF_VERSION_MINOR = 54;
    private static final long OFF_DATAOFF = 56;
    private static final long OFF_NPFNS = 64;
    private static final long OFF_MODE = 72;
    private static final long OFF_START_PAD = 76;
    private static final long OFF_END_TRUNC = 80;
    private static final long OFF_ALIGN = 84;
    private static final long OFF_PAGE_SIZE = 88;
    private static final long OFF_PAGE_STRUCT_SIZE = 92;
    private static final long OFF_NAMESPACE_SIZE = 96;
    private static final long OFF_CHECKSUM = 4088;

    /** Checks that no component is null; the rest is checked by {@link #decode}. */
    public PfnInfoBlock {
        ZoneDeviceException.requirePresent(kind, "kind");
        ZoneDeviceException.requirePresent(uuid, "uuid");
        ZoneDeviceException.requirePresent(parentUuid, "parentUuid");
        ZoneDeviceException.requirePresent(map, "map");
    }

    /** Data bytes: {@code npfns} pages. */
    public long dataSize() {
        return npfns * Pages.PAGE_SIZE;
    }

    /** The same block relabelled for another kind of device; geometry and uuids unchanged. */
    public PfnInfoBlock relabel(InfoBlockKind newKind) {
        return new PfnInfoBlock(
                newKind,
                uuid,
                parentUuid,
                VERSION_MAJOR,
                VERSION_MINOR,
                dataOffset,
                npfns,
                map,
                align,
                namespaceSize);
    }

    /**
     * Writes the block, with its checksum, into {@code page} ({@link #SIZE} bytes): every byte of
     * the page is written, unused ones with zero.
     */
    public void encode(MemorySegment page) {
        checkPage(page);
        MemorySegment buf = MemorySegment.ofArray(new byte[(int) SIZE]);
        MemorySegment.copy(
                kind.signature(), 0, buf, ValueLayout.JAVA_BYTE, 0, InfoBlockKind.SIGNATURE_LENGTH);
        putUuid(buf, OFF_UUID, uuid);
        putUuid(buf, OFF_PARENT_UUID, parentUuid);
        buf.set(LE_INT, OFF_FLAGS, 0);
        buf.set(LE_SHORT, OFF_VERSION_MAJOR, (short) versionMajor);
        buf.set(LE_SHORT, OFF_VERSION_MINOR, (short) versionMinor);
        buf.set(LE_LONG, OFF_DATAOFF, dataOffset);
        buf.set(LE_LONG, OFF_NPFNS, npfns);
        buf.set(LE_INT, OFF_MODE, map.onMedia());
        buf.set(LE_INT, OFF_START_PAD, 0);
        buf.set(LE_INT, OFF_END_TRUNC, 0);
        buf.set(LE_INT, OFF_ALIGN, (int) align);
        buf.set(LE_INT, OFF_PAGE_SIZE, (int) Pages.PAGE_SIZE);
        buf.set(LE_SHORT, OFF_PAGE_STRUCT_SIZE, (short) Pages.STRUCT_PAGE_SIZE);
        buf.set(LE_LONG, OFF_NAMESPACE_SIZE, namespaceSize);
        buf.set(LE_LONG, OFF_CHECKSUM, Fletcher64.checksum(buf));
        MemorySegment.copy(buf, 0, page, 0, SIZE);
    }

    /** True when every byte of {@code page} is zero: no block was ever written there. */
    public static boolean isBlank(MemorySegment page) {
        checkPage(page);
        for (long i = 0; i < SIZE; i += Long.BYTES) {
            if (page.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads and checks a block: signature, checksum, version, and the fields that must hold
     * whatever the namespace (page sizes, mode, alignment, data offset). Never writes.
     *
     * @param page the {@link #SIZE} bytes at {@link #OFFSET}
     * @param where names the namespace in messages
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#IO_ERROR} for a page that is not
     *     an info block or a corrupt one, {@link dev.zonedev.api.ErrorCode#INVALID} for a version
     *     this driver does not understand
     */
    public static PfnInfoBlock decode(MemorySegment page, String where) {
        checkPage(page);
        MemorySegment buf = MemorySegment.ofArray(page.toArray(ValueLayout.JAVA_BYTE));
        byte[] sig = buf.asSlice(0, InfoBlockKind.SIGNATURE_LENGTH).toArray(ValueLayout.JAVA_BYTE);
        Optional<InfoBlockKind> kind = InfoBlockKind.bySignature(sig);
        if (kind.isEmpty()) {
            throw ZoneDeviceException.ioError(
                    where
                            + ": the info block page at offset "
                            + OFFSET
                            + " is not blank and has no known signature (found "
                            + HexFormat.ofDelimiter(" ").formatHex(sig)
                            + "; accepted: \"NVDIMM_PFN_INFO\\0\", \"NVDIMM_DAX_INFO\\0\"): foreign data or a corrupt block;"
                            + " refusing to write over it, the namespace was left untouched");
        }
        long stored = buf.get(LE_LONG, OFF_CHECKSUM);
        buf.set(LE_LONG, OFF_CHECKSUM, 0);
        long computed = Fletcher64.checksum(buf);
        if (stored != computed) {
            throw ZoneDeviceException.ioError(
                    String.format(
                            "%s: info block checksum mismatch (stored %#018x,"
                                    + " computed %#018x): the block is corrupt; refusing to use or rewrite it, the namespace was"
                                    + " left untouched",
                            where, stored, computed));
        }
        int major = Short.toUnsignedInt(buf.get(LE_SHORT, OFF_VERSION_MAJOR));
        int minor = Short.toUnsignedInt(buf.get(LE_SHORT, OFF_VERSION_MINOR));
        if (major != VERSION_MAJOR || minor < VERSION_MINOR) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": info block version "
                            + major
                            + "."
                            + minor
                            + " is not supported; accepted: "
                            + VERSION_MAJOR
                            + "."
                            + VERSION_MINOR
                            + " or a later "
                            + VERSION_MAJOR
                            + ".x; the namespace was left untouched");
        }
        long pageSize = Integer.toUnsignedLong(buf.get(LE_INT, OFF_PAGE_SIZE));
        int structSize = Short.toUnsignedInt(buf.get(LE_SHORT, OFF_PAGE_STRUCT_SIZE));
        if (pageSize != Pages.PAGE_SIZE || structSize != Pages.STRUCT_PAGE_SIZE) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": info block was written for "
                            + pageSize
                            + "-byte pages and "
                            + structSize
                            + "-byte struct pages; accepted: "
                            + Pages.PAGE_SIZE
                            + " and "
                            + Pages.STRUCT_PAGE_SIZE);
        }
        int flags = buf.get(LE_INT, OFF_FLAGS);
        int startPad = buf.get(LE_INT, OFF_START_PAD);
        int endTrunc = buf.get(LE_INT, OFF_END_TRUNC);
        if (flags != 0 || startPad != 0 || endTrunc != 0) {
            throw ZoneDeviceException.ioError(
                    where
                            + ": info block has flags="
                            + flags
                            + " start_pad="
                            + startPad
                            + " end_trunc="
                            + endTrunc
                            + "; accepted: all 0");
        }
        MapLocation map = MapLocation.fromMedia(buf.get(LE_INT, OFF_MODE));
        long align = Integer.toUnsignedLong(buf.get(LE_INT, OFF_ALIGN));
        if (!PfnLayout.SUPPORTED_ALIGNMENTS.contains(align)) {
            throw ZoneDeviceException.ioError(
                    where
                            + ": info block align "
                            + align
                            + " is not one of "
                            + PfnLayout.describeAlignments());
        }
        long dataOffset = buf.get(LE_LONG, OFF_DATAOFF);
        long npfns = buf.get(LE_LONG, OFF_NPFNS);
        long namespaceSize = buf.get(LE_LONG, OFF_NAMESPACE_SIZE);
        if (dataOffset < RESERVE
                || dataOffset % Pages.PAGE_SIZE != 0
                || npfns <= 0
                || namespaceSize <= 0
                || npfns > (Long.MAX_VALUE - dataOffset) / Pages.PAGE_SIZE
                || dataOffset + npfns * Pages.PAGE_SIZE > namespaceSize) {
            throw ZoneDeviceException.ioError(
                    where
                            + ": info block geometry is inconsistent (dataoff="
                            + dataOffset
                            + ", npfns="
                            + npfns
                            + ", namespace_size="
                            + namespaceSize
                            + "); accepted: page-aligned dataoff >= "
                            + RESERVE
                            + ", npfns >= 1, dataoff + npfns * 4096 <= namespace_size");
        }
        return new PfnInfoBlock(
                kind.get(),
                getUuid(buf, OFF_UUID),
                getUuid(buf, OFF_PARENT_UUID),
                major,
                minor,
                dataOffset,
                npfns,
                map,
                align,
                namespaceSize);
    }

    private static void checkPage(MemorySegment page) {
        if (page.byteSize() != SIZE) {
            throw ZoneDeviceException.invalid(
                    "an info block page is " + SIZE + " bytes, not " + page.byteSize());
        }
    }

    private static void putUuid(MemorySegment buf, long offset, UUID uuid) {
        buf.set(BE_LONG, offset, uuid.getMostSignificantBits());
        buf.set(BE_LONG, offset + Long.BYTES, uuid.getLeastSignificantBits());
    }

    private static UUID getUuid(MemorySegment buf, long offset) {
        return new UUID(buf.get(BE_LONG, offset), buf.get(BE_LONG, offset + Long.BYTES));
    }
}
