package dev.zonedev.api.pfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PfnInfoBlockTest {
    private static final long MIB = 1L << 20;
    private static final long START = 1L << 32;
    private static final long SIZE = 64 * MIB;
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static PfnInfoBlock sample(InfoBlockKind kind) {
        return new PfnInfoBlock(
                kind,
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                4,
                2 * MIB,
                15872,
                MapLocation.DEV,
                Pages.PMD_SIZE,
                SIZE);
    }

    private static MemorySegment page() {
        return MemorySegment.ofArray(new byte[(int) PfnInfoBlock.SIZE]);
    }

    @Test
    void roundTripKeepsEveryField() {
        for (InfoBlockKind kind : InfoBlockKind.values()) {
            PfnInfoBlock block = sample(kind);
            MemorySegment page = page();
            block.encode(page);
            assertEquals(block, PfnInfoBlock.decode(page, "ns"));
        }
    }

    @Test
    void layoutIsTheKernelsNdPfnSb() {
        PfnInfoBlock block = sample(InfoBlockKind.FSDAX);
        MemorySegment page = page();
        block.encode(page);
        byte[] sig = page.asSlice(0, 16).toArray(ValueLayout.JAVA_BYTE);
        assertEquals("NVDIMM_PFN_INFO\0", new String(sig, StandardCharsets.US_ASCII));
        assertEquals(1, page.get(LE_SHORT, 52));
        assertEquals(4, page.get(LE_SHORT, 54));
        assertEquals(block.dataOffset(), page.get(LE_LONG, 56));
        assertEquals(block.npfns(), page.get(LE_LONG, 64));
        assertEquals(
                2, page.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 72));
        assertEquals(SIZE, page.get(LE_LONG, 96));
        long stored = page.get(LE_LONG, 4088);
        page.set(LE_LONG, 4088, 0);
        assertEquals(stored, Fletcher64.checksum(page));
    }

    @Test
    void fletcher64MatchesTheKernelDefinition() {
        MemorySegment words = MemorySegment.ofArray(new byte[12]);
        words.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, 1);
        words.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4, 2);
        words.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8, -1);
        // lo: 1, 3, 2 (wraps); hi: 1 + 3 + (2^32 + 2) ... computed as the kernel does
        long lo = 0;
        long hi = 0;
        for (long w : new long[] {1, 2, 0xffff_ffffL}) {
            lo = (lo + w) & 0xffff_ffffL;
            hi += lo;
        }
        assertEquals(hi << 32 | lo, Fletcher64.checksum(words));
        assertEquals(0, Fletcher64.checksum(MemorySegment.ofArray(new byte[4096])));
    }

    @Test
    void blankPageIsBlankAndAnyByteIsNot() {
        MemorySegment page = page();
        assertTrue(PfnInfoBlock.isBlank(page));
        page.set(ValueLayout.JAVA_BYTE, 4095, (byte) 1);
        assertFalse(PfnInfoBlock.isBlank(page));
    }

    @Test
    void badSignatureIsIoError() {
        MemorySegment page = page();
        sample(InfoBlockKind.FSDAX).encode(page);
        page.set(ValueLayout.JAVA_BYTE, 3, (byte) 'X');
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> PfnInfoBlock.decode(page, "ns"));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("no known signature"), e.getMessage());
    }

    @Test
    void badChecksumIsIoError() {
        MemorySegment page = page();
        sample(InfoBlockKind.FSDAX).encode(page);
        page.set(ValueLayout.JAVA_BYTE, 64, (byte) (page.get(ValueLayout.JAVA_BYTE, 64) ^ 1));
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> PfnInfoBlock.decode(page, "ns"));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void otherMajorVersionIsInvalid() {
        MemorySegment page = page();
        PfnInfoBlock b = sample(InfoBlockKind.FSDAX);
        new PfnInfoBlock(
                        b.kind(),
                        b.uuid(),
                        b.parentUuid(),
                        2,
                        0,
                        b.dataOffset(),
                        b.npfns(),
                        b.map(),
                        b.align(),
                        b.namespaceSize())
                .encode(page);
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> PfnInfoBlock.decode(page, "ns"));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(
                e.getMessage().contains("version 2.0") && e.getMessage().contains("accepted: 1.4"),
                e.getMessage());
    }

    @Test
    void inconsistentGeometryIsIoError() {
        MemorySegment page = page();
        PfnInfoBlock b = sample(InfoBlockKind.FSDAX);
        new PfnInfoBlock(
                        b.kind(),
                        b.uuid(),
                        b.parentUuid(),
                        1,
                        4,
                        b.dataOffset(),
                        b.npfns() * 10,
                        b.map(),
                        b.align(),
                        b.namespaceSize())
                .encode(page);
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> PfnInfoBlock.decode(page, "ns"));
        assertEquals(ErrorCode.IO_ERROR, e.code());
    }

    @Test
    void layoutForMapMemStartsAtTheAlignmentAfterTheReserve() {
        PhysicalRange range = new PhysicalRange(START, SIZE);
        PfnLayout small = PfnLayout.compute("ns", range, Pages.PAGE_SIZE, MapLocation.MEM);
        assertEquals(PfnInfoBlock.RESERVE, small.dataOffset());
        assertTrue(small.altmap(range).isEmpty());
        PfnLayout pmd = PfnLayout.compute("ns", range, Pages.PMD_SIZE, MapLocation.MEM);
        assertEquals(Pages.PMD_SIZE, pmd.dataOffset());
        assertEquals((SIZE - Pages.PMD_SIZE) / Pages.PAGE_SIZE, pmd.npfns());
    }

    @Test
    void layoutForMapDevReservesTheMemmapAndTheAltmapEndsAtTheData() {
        PhysicalRange range = new PhysicalRange(START, SIZE);
        PfnLayout dev = PfnLayout.compute("ns", range, Pages.PMD_SIZE, MapLocation.DEV);
        long memmap = Pages.memmapBytes(SIZE / Pages.PAGE_SIZE);
        assertTrue(dev.dataOffset() >= PfnInfoBlock.RESERVE + memmap + Pages.PMD_SIZE);
        assertEquals(0, (range.start() + dev.dataOffset()) % Pages.PMD_SIZE);
        var altmap = dev.altmap(range).orElseThrow();
        assertEquals(range.startPfn(), altmap.basePfn());
        assertEquals(2, altmap.reserve());
        assertEquals(dev.dataOffset() / Pages.PAGE_SIZE, altmap.offset());
    }

    @Test
    void layoutRefusesUnsupportedAlignmentAndTooSmallNamespaces() {
        PhysicalRange range = new PhysicalRange(START, SIZE);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> PfnLayout.compute("ns", range, 65536, MapLocation.MEM));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(
                e.getMessage().contains("accepted: 4096 (4K), 2097152 (2M), 1073741824 (1G)"),
                e.getMessage());
        ZoneDeviceException small =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> PfnLayout.compute("ns", range, Pages.PUD_SIZE, MapLocation.MEM));
        assertEquals(ErrorCode.INVALID, small.code());
        assertTrue(small.getMessage().contains("too small"), small.getMessage());
    }
}
