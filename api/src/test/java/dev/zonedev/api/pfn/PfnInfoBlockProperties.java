package dev.zonedev.api.pfn;

import static dev.zonedev.api.testing.Gens.anyInt;
import static dev.zonedev.api.testing.Gens.anyLong;
import static dev.zonedev.api.testing.Gens.anyShort;
import static dev.zonedev.api.testing.Gens.bytes;
import static dev.zonedev.api.testing.Gens.enums;
import static dev.zonedev.api.testing.Gens.ints;
import static dev.zonedev.api.testing.Gens.longs;
import static dev.zonedev.api.testing.Gens.of;
import static dev.zonedev.api.testing.Gens.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.AltmapBlocks;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.Props;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of the on-media info block parser ({@link PfnInfoBlock#decode}) and of the store that
 * binds it ({@link InfoBlockStore#probeOrCreate}): what validates round-trips and binds again
 * unchanged; every corruption is refused with a ZoneDeviceException naming the problem and not one
 * byte of the namespace changes.
 */
class PfnInfoBlockProperties {
    private static final long MIB = 1L << 20;

    /** A 1 GiB aligned physical start, so every supported alignment can line up. */
    private static final long START = 1L << 32;

    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    // ---- generators ---------------------------------------------------------------------

    private static Gen<UUID> uuids() {
        return anyLong().zip(anyLong(), UUID::new);
    }

    /**
     * Any block {@link PfnInfoBlock#decode} must accept: consistent geometry, any uuids and minor
     * version.
     */
    private static Gen<PfnInfoBlock> validBlocks() {
        Gen<InfoBlockKind> kinds = enums(InfoBlockKind.class);
        Gen<UUID> uuids = uuids();
        Gen<Integer> minors = ints(PfnInfoBlock.VERSION_MINOR, 0xffff);
        Gen<Long> dataPages = longs(2, 1L << 40);
        Gen<Long> npfns = longs(1, 1L << 40);
        Gen<MapLocation> maps = enums(MapLocation.class);
        Gen<Long> aligns = of(List.copyOf(PfnLayout.SUPPORTED_ALIGNMENTS));
        Gen<Long> slack = longs(0, 1L << 40);
        return in -> {
            InfoBlockKind kind = kinds.generate(in);
            UUID uuid = uuids.generate(in);
            UUID parent = uuids.generate(in);
            int minor = minors.generate(in);
            long off = dataPages.generate(in);
            long n = npfns.generate(in);
            MapLocation map = maps.generate(in);
            long align = aligns.generate(in);
            long s = slack.generate(in);
            return new PfnInfoBlock(
                    kind,
                    uuid,
                    parent,
                    PfnInfoBlock.VERSION_MAJOR,
                    minor,
                    off * Pages.PAGE_SIZE,
                    n,
                    map,
                    align,
                    off * Pages.PAGE_SIZE + n * Pages.PAGE_SIZE + s);
        };
    }

    private static MemorySegment encoded(PfnInfoBlock block) {
        MemorySegment page = MemorySegment.ofArray(new byte[(int) PfnInfoBlock.SIZE]);
        block.encode(page);
        return page;
    }

    // ---- the parser alone ---------------------------------------------------------------

    @Test
    void aBlockThatEncodesDecodesToItself() {
        Props.check(1000, validBlocks(), PfnInfoBlockProperties::aBlockThatEncodesDecodesToItself);
    }

    private static void aBlockThatEncodesDecodesToItself(PfnInfoBlock block) {
        MemorySegment page = encoded(block);
        assertFalse(PfnInfoBlock.isBlank(page));
        assertEquals(block, PfnInfoBlock.decode(page, "ns"));
        MemorySegment again = encoded(PfnInfoBlock.decode(page, "ns"));
        assertEquals(-1, page.mismatch(again), "decode + encode changed the bytes");
    }

    @Test
    void anySingleBitFlipIsRefused() {
        Props.check(
                1000,
                validBlocks(),
                ints(0, 4096 * 8 - 1),
                PfnInfoBlockProperties::anySingleBitFlipIsRefused);
    }

    private static void anySingleBitFlipIsRefused(PfnInfoBlock block, int bit) {
        MemorySegment page = encoded(block);
        flip(page, bit);
        ZoneDeviceException e = refused(page);
        assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
    }

    @Test
    void anyChangeWithinOneWordIsRefused() {
        Props.check(
                500,
                validBlocks(),
                ints(0, 1023),
                anyInt(),
                PfnInfoBlockProperties::anyChangeWithinOneWordIsRefused);
    }

    private static void anyChangeWithinOneWordIsRefused(PfnInfoBlock block, int word, int xor) {
        MemorySegment page = encoded(block);
        long offset = word * 4L;
        page.set(LE_INT, offset, page.get(LE_INT, offset) ^ (xor == 0 ? 1 : xor));
        refused(page);
    }

    @Test
    void randomBytesOverARunAreRefusedUnlessTheyChangedNothing() {
        Props.check(
                500,
                validBlocks(),
                ints(0, 4095),
                bytes(1, 64),
                PfnInfoBlockProperties::randomBytesOverARunAreRefusedUnlessTheyChangedNothing);
    }

    private static void randomBytesOverARunAreRefusedUnlessTheyChangedNothing(
            PfnInfoBlock block, int from, byte[] junk) {
        MemorySegment page = encoded(block);
        MemorySegment original = encoded(block);
        int n = Math.min(junk.length, 4096 - from);
        MemorySegment.copy(MemorySegment.ofArray(junk), 0, page, from, n);
        if (page.mismatch(original) < 0) {
            assertEquals(block, PfnInfoBlock.decode(page, "ns"));
        } else {
            refused(page);
        }
    }

    @Test
    void aTornWriteIsRefused() {
        Props.check(500, validBlocks(), ints(0, 4087), PfnInfoBlockProperties::aTornWriteIsRefused);
    }

    private static void aTornWriteIsRefused(PfnInfoBlock block, int written) {
        MemorySegment page = encoded(block);
        MemorySegment original = encoded(block);
        page.asSlice(written).fill((byte) 0);
        if (PfnInfoBlock.isBlank(page)) {
            return; // nothing of the block reached the media: a blank page, a fresh namespace
        }
        assertNotEquals(-1, page.mismatch(original));
        refused(page);
    }

    @Test
    void aShortOrLongPageIsInvalidNamingTheSize() {
        Props.check(
                300, ints(0, 8192), PfnInfoBlockProperties::aShortOrLongPageIsInvalidNamingTheSize);
    }

    private static void aShortOrLongPageIsInvalidNamingTheSize(int length) {
        if (length == PfnInfoBlock.SIZE) {
            return;
        }
        ZoneDeviceException e = refused(MemorySegment.ofArray(new byte[length]));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("4096 bytes, not " + length), e.getMessage());
    }

    @Test
    void randomPagesAreRefused() {
        Props.check(300, bytes(4096, 4096), PfnInfoBlockProperties::randomPagesAreRefused);
    }

    private static void randomPagesAreRefused(byte[] bytes) {
        MemorySegment page = MemorySegment.ofArray(bytes);
        if (PfnInfoBlock.isBlank(page)) {
            return;
        }
        refused(page);
    }

    /**
     * Random field values under a right signature and a right checksum reach every check of decode:
     * it returns a block that holds the documented invariants, or refuses with a
     * ZoneDeviceException, never anything else.
     */
    @Test
    void anyFieldsUnderAValidChecksumAreCheckedNotTrusted() {
        Props.check(
                1500,
                fields(),
                f ->
                        anyFieldsUnderAValidChecksumAreCheckedNotTrusted(
                                f.kind(),
                                f.major(),
                                f.minor(),
                                f.dataOffset(),
                                f.npfns(),
                                f.mode(),
                                f.align(),
                                f.pageSize(),
                                f.structSize(),
                                f.flags(),
                                f.namespaceSize()));
    }

    /** The header fields {@link #anyFieldsUnderAValidChecksumAreCheckedNotTrusted} writes. */
    record Fields(
            InfoBlockKind kind,
            short major,
            short minor,
            long dataOffset,
            long npfns,
            int mode,
            int align,
            int pageSize,
            short structSize,
            int flags,
            long namespaceSize) {}

    private static Gen<Fields> fields() {
        Gen<InfoBlockKind> kinds = enums(InfoBlockKind.class);
        Gen<Short> shorts = anyShort();
        Gen<Long> longs = fieldLongs();
        Gen<Integer> ints = fieldInts();
        return in ->
                new Fields(
                        kinds.generate(in),
                        shorts.generate(in),
                        shorts.generate(in),
                        longs.generate(in),
                        longs.generate(in),
                        ints.generate(in),
                        ints.generate(in),
                        ints.generate(in),
                        shorts.generate(in),
                        ints.generate(in),
                        longs.generate(in));
    }

    private static void anyFieldsUnderAValidChecksumAreCheckedNotTrusted(
            InfoBlockKind kind,
            short major,
            short minor,
            long dataOffset,
            long npfns,
            int mode,
            int align,
            int pageSize,
            short structSize,
            int flags,
            long namespaceSize) {
        MemorySegment page = MemorySegment.ofArray(new byte[4096]);
        MemorySegment.copy(kind.signature(), 0, page, ValueLayout.JAVA_BYTE, 0, 16);
        page.set(LE_INT, 48, flags);
        page.set(LE_SHORT, 52, major);
        page.set(LE_SHORT, 54, minor);
        page.set(LE_LONG, 56, dataOffset);
        page.set(LE_LONG, 64, npfns);
        page.set(LE_INT, 72, mode);
        page.set(LE_INT, 84, align);
        page.set(LE_INT, 88, pageSize);
        page.set(LE_SHORT, 92, structSize);
        page.set(LE_LONG, 96, namespaceSize);
        page.set(LE_LONG, 4088, Fletcher64.checksum(page));
        PfnInfoBlock b;
        try {
            b = PfnInfoBlock.decode(page, "ns");
        } catch (ZoneDeviceException e) {
            assertClear(e);
            return;
        }
        assertEquals(PfnInfoBlock.VERSION_MAJOR, b.versionMajor());
        assertTrue(b.versionMinor() >= PfnInfoBlock.VERSION_MINOR);
        assertTrue(PfnLayout.SUPPORTED_ALIGNMENTS.contains(b.align()));
        assertTrue(b.dataOffset() >= PfnInfoBlock.RESERVE && b.dataOffset() % Pages.PAGE_SIZE == 0);
        assertTrue(b.npfns() >= 1 && b.dataOffset() + b.dataSize() <= b.namespaceSize());
    }

    /** Edge values and the neighbourhoods of the sizes that matter, besides any value. */
    private static Gen<Long> fieldLongs() {
        return oneOf(
                anyLong(),
                longs(0, 1L << 32),
                longs(0, 1L << 22).map(p -> p * Pages.PAGE_SIZE),
                of(
                        0L,
                        -1L,
                        1L,
                        PfnInfoBlock.RESERVE,
                        Long.MAX_VALUE,
                        Long.MIN_VALUE,
                        Long.MAX_VALUE / Pages.PAGE_SIZE,
                        Long.MAX_VALUE / Pages.PAGE_SIZE + 1));
    }

    private static Gen<Integer> fieldInts() {
        return oneOf(
                anyInt(),
                of(0, 1, 2, -1, 4096, 2 << 20, 1 << 30, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    // ---- the store: bind, rebind, refuse without writing ----------------------------------

    /**
     * A fresh namespace lays out and writes a block; binding it again finds the same block and
     * writes nothing.
     */
    @Test
    void aBlockThatValidatesBindsAgainUnchanged() {
        Props.check(
                150,
                ints(1, 12),
                enums(MapLocation.class),
                smallAlignments(),
                enums(InfoBlockKind.class),
                PfnInfoBlockProperties::aBlockThatValidatesBindsAgainUnchanged);
    }

    private static void aBlockThatValidatesBindsAgainUnchanged(
            int twoMiBs, MapLocation map, long align, InfoBlockKind kind) {
        long size = twoMiBs * 2 * MIB;
        try (Arena arena = Arena.ofConfined()) {
            TestNamespace ns = namespace(arena, kind, size, map);
            PfnInfoBlock written;
            try {
                written = InfoBlockStore.probeOrCreate(ns, kind);
            } catch (ZoneDeviceException e) {
                // too small for this layout: refused before anything was written
                assertEquals(ErrorCode.INVALID, e.code(), e.getMessage());
                assertTrue(e.getMessage().contains("too small"), e.getMessage());
                assertTrue(
                        PfnInfoBlock.isBlank(
                                ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE)));
                return;
            }
            assertEquals(size, written.namespaceSize());
            assertEquals(map, written.map());
            assertEquals(0, (START + written.dataOffset()) % align);
            assertTrue(written.dataOffset() + written.dataSize() <= size);
            if (map == MapLocation.DEV) {
                assertAltmapHoldsTheMemmap(ns, written);
            }
            long before = crc(ns.memory());
            assertEquals(written, InfoBlockStore.probeOrCreate(ns, kind));
            assertEquals(written, InfoBlockStore.probeOrCreate(ns.withOptions(Map.of()), kind));
            assertEquals(
                    before, crc(ns.memory()), "binding a valid block again wrote to the namespace");
        }
    }

    @Test
    void aCorruptBlockIsRefusedAndTheNamespaceIsUnchanged() {
        Props.check(
                200,
                enums(MapLocation.class),
                enums(InfoBlockKind.class),
                corruptions(),
                PfnInfoBlockProperties::aCorruptBlockIsRefusedAndTheNamespaceIsUnchanged);
    }

    private static void aCorruptBlockIsRefusedAndTheNamespaceIsUnchanged(
            MapLocation map, InfoBlockKind kind, Corruption corruption) {
        long size = 12 * MIB;
        try (Arena arena = Arena.ofConfined()) {
            TestNamespace ns = namespace(arena, kind, size, map);
            InfoBlockStore.probeOrCreate(ns, kind);
            ns.memory()
                    .asSlice(PfnInfoBlock.RESERVE, 4096)
                    .fill((byte) 0x5a); // data that must survive
            corruption.apply(ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE));
            long before = crc(ns.memory());
            ZoneDeviceException e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            ZoneDeviceException.class,
                            () -> InfoBlockStore.probeOrCreate(ns, kind),
                            corruption::toString);
            assertClear(e);
            assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
            assertEquals(before, crc(ns.memory()), "a refused bind changed the namespace");
        }
    }

    /**
     * Blocks with a right checksum, the namespace's own uuid and size, and any geometry near the
     * valid one: the store binds only those whose data fits the namespace, lines up with the
     * alignment and leaves room for a map=dev memmap; the rest is refused, nothing written.
     */
    @Test
    void theStoreBindsOnlyGeometryThatFits() {
        Props.check(
                250,
                enums(InfoBlockKind.class),
                enums(MapLocation.class),
                ints(0, 3100),
                ints(-2, 3100),
                smallAlignments(),
                PfnInfoBlockProperties::theStoreBindsOnlyGeometryThatFits);
    }

    private static void theStoreBindsOnlyGeometryThatFits(
            InfoBlockKind kind, MapLocation map, int dataPage, int npfns, long align) {
        long size = 12 * MIB;
        try (Arena arena = Arena.ofConfined()) {
            TestNamespace ns = namespace(arena, kind, size, map);
            PfnInfoBlock block =
                    new PfnInfoBlock(
                            kind,
                            UUID.randomUUID(),
                            InfoBlockStore.parentUuid(ns),
                            PfnInfoBlock.VERSION_MAJOR,
                            PfnInfoBlock.VERSION_MINOR,
                            dataPage * Pages.PAGE_SIZE,
                            npfns,
                            map,
                            align,
                            size);
            block.encode(ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE));
            long before = crc(ns.memory());
            PfnInfoBlock bound;
            try {
                bound = InfoBlockStore.probeOrCreate(ns.withAlign(align), kind);
            } catch (ZoneDeviceException e) {
                assertClear(e);
                assertEquals(before, crc(ns.memory()), "a refused bind changed the namespace");
                return;
            }
            assertEquals(block, bound);
            assertEquals(before, crc(ns.memory()), "binding a valid block wrote to the namespace");
            assertTrue(bound.dataOffset() >= PfnInfoBlock.RESERVE && bound.npfns() >= 1);
            assertTrue(bound.dataOffset() + bound.dataSize() <= size);
            assertEquals(0, (START + bound.dataOffset()) % align);
            if (map == MapLocation.DEV) {
                assertAltmapHoldsTheMemmap(ns, bound);
            }
        }
    }

    /**
     * A map=dev block that binds leaves its altmap room for the whole memmap by the rule the engine
     * allocates with (aligned blocks on any arch), not only 64 bytes per page.
     */
    private static void assertAltmapHoldsTheMemmap(TestNamespace ns, PfnInfoBlock block) {
        VmemAltmap altmap = PfnLayout.of(block).altmap(ns.range()).orElseThrow();
        long needed = AltmapBlocks.pagesNeededOnAnyArch(ns.range(), altmap.reserve());
        assertTrue(
                altmap.free() >= needed,
                () ->
                        block
                                + " binds with an altmap of "
                                + altmap.free()
                                + " pages, but the memmap takes "
                                + needed);
    }

    /**
     * One bit flipped, one word changed, a run overwritten with random bytes, or the tail torn off.
     */
    record Corruption(String what, int at, byte[] bytes) {
        void apply(MemorySegment page) {
            switch (what) {
                case "flip" -> flip(page, at);
                case "word" ->
                        page.set(
                                LE_INT,
                                (at % 1024) * 4L,
                                page.get(LE_INT, (at % 1024) * 4L)
                                        ^ (bytes[0] == 0 ? 1 : bytes[0]));
                case "tear" -> page.asSlice(Math.max(16, at % 4088)).fill((byte) 0);
                default -> {
                    int from = at % 4096;
                    MemorySegment junk = MemorySegment.ofArray(bytes);
                    long n = Math.min(bytes.length, 4096 - from);
                    // a run that happens to equal what is there is no corruption: make sure one
                    // byte differs
                    byte first =
                            (byte)
                                    (page.get(ValueLayout.JAVA_BYTE, from)
                                            ^ (bytes[0] == 0 ? 0x80 : bytes[0]));
                    MemorySegment.copy(junk, 0, page, from, n);
                    page.set(
                            ValueLayout.JAVA_BYTE,
                            from,
                            first == page.get(ValueLayout.JAVA_BYTE, from) ? (byte) ~first : first);
                }
            }
        }

        @Override
        public String toString() {
            return what + "@" + at + "(" + bytes.length + " bytes)";
        }
    }

    private static Gen<Corruption> corruptions() {
        return of("flip", "word", "junk", "tear")
                .zip(ints(0, 4096 * 8 - 1), bytes(1, 64), Corruption::new);
    }

    private static Gen<Long> smallAlignments() {
        return of(Pages.PAGE_SIZE, Pages.PMD_SIZE);
    }

    @Test
    void aNamespaceOfOneGiBAlignedPagesBindsOnASparseFileToo() throws Exception {
        // 1 GiB alignment needs more than 1 GiB: a sparse file, of which only the block page is
        // touched
        java.nio.file.Path file = java.nio.file.Files.createTempFile("zonedev-props", ".img");
        try (Arena arena = Arena.ofConfined()) {
            long size = 1024 * MIB + 2 * MIB;
            MemorySegment memory = dev.zonedev.api.testing.Fixtures.map(arena, file, size);
            TestNamespace ns =
                    new TestNamespace(
                            "namespace0.0",
                            NamespaceMode.DEVDAX,
                            new PhysicalRange(START, size),
                            0,
                            Pages.PUD_SIZE,
                            memory,
                            true,
                            Map.of());
            PfnInfoBlock b = InfoBlockStore.probeOrCreate(ns, InfoBlockKind.DEVDAX);
            assertEquals(Pages.PUD_SIZE, b.dataOffset());
            assertEquals(b, InfoBlockStore.probeOrCreate(ns, InfoBlockKind.DEVDAX));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private static TestNamespace namespace(
            Arena arena, InfoBlockKind kind, long size, MapLocation map) {
        MemorySegment memory = arena.allocate(size, Pages.PAGE_SIZE);
        return new TestNamespace(
                "namespace0.0",
                kind.mode(),
                new PhysicalRange(START, size),
                0,
                Pages.PMD_SIZE,
                memory,
                false,
                Map.of(InfoBlockStore.OPTION_MAP, map.text()));
    }

    private static ZoneDeviceException refused(MemorySegment page) {
        byte[] before = page.toArray(ValueLayout.JAVA_BYTE);
        ZoneDeviceException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        ZoneDeviceException.class, () -> PfnInfoBlock.decode(page, "ns"));
        assertClear(e);
        assertEquals(-1, page.mismatch(MemorySegment.ofArray(before)), "decode wrote to the page");
        return e;
    }

    static void assertClear(ZoneDeviceException e) {
        assertTrue(
                e.getMessage() != null && e.getMessage().length() > 20,
                String.valueOf(e.getMessage()));
        assertTrue(
                e.getMessage().contains("ns")
                        || e.getMessage().contains("namespace0.0")
                        || e.getMessage().contains("info block"),
                e.getMessage());
    }

    static void flip(MemorySegment page, int bit) {
        long at = bit / 8;
        page.set(
                ValueLayout.JAVA_BYTE,
                at,
                (byte) (page.get(ValueLayout.JAVA_BYTE, at) ^ (1 << (bit % 8))));
    }

    static long crc(MemorySegment memory) {
        CRC32C crc = new CRC32C();
        crc.update(memory.asByteBuffer());
        return crc.getValue();
    }
}
