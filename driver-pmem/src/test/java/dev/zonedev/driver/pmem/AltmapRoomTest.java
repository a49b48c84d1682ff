package dev.zonedev.driver.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.zonedev.api.AltmapBlocks;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.api.testing.Fixtures;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 4 of issue 9: a {@code map=dev} info block whose data offset leaves the altmap room for
 * {@code 64 x pages} bytes but not for the memmap's 2 MiB blocks (the first one aligned) used to
 * bind and fail later with "altmap exhausted". It is refused at bind, by the rule the allocator
 * uses, and the media stay as they were.
 */
class AltmapRoomTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private final Arena arena = Arena.ofShared();

    @TempDir Path dir;

    @AfterEach
    void close() {
        arena.close();
    }

    /**
     * A fresh 1 GiB fsdax map=dev namespace with 4 KiB alignment, bound once so it holds a block.
     */
    private TestNamespace boundOnce() {
        TestNamespace ns =
                Fixtures.file(
                                arena,
                                dir.resolve("pmem0.img"),
                                NamespaceMode.FSDAX,
                                GIB,
                                Map.of("map", "dev"))
                        .withAlign(Pages.PAGE_SIZE);
        new PmemDriver().bind(ns, Fixtures.context(mock(DevPagemap.class))).close();
        return ns;
    }

    /**
     * Rewrites the namespace's info block with another data offset (and the page count to match).
     */
    private static void rewriteDataOffset(TestNamespace ns, long dataOffset) {
        MemorySegment page = ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE);
        PfnInfoBlock b = PfnInfoBlock.decode(page, "test");
        new PfnInfoBlock(
                        b.kind(),
                        b.uuid(),
                        b.parentUuid(),
                        b.versionMajor(),
                        b.versionMinor(),
                        dataOffset,
                        (b.namespaceSize() - dataOffset) / Pages.PAGE_SIZE,
                        b.map(),
                        b.align(),
                        b.namespaceSize())
                .encode(page);
    }

    @Test
    void aBlockWhoseAltmapHoldsSixtyFourBytesPerPageButNotTheAlignedBlocksIsRefusedAtBind()
            throws Exception {
        TestNamespace ns = boundOnce();
        rewriteDataOffset(
                ns,
                PfnInfoBlock.RESERVE + 16 * MIB); // 64 bytes x 262144 pages, nothing for alignment
        byte[] before = sha256(ns.memory());
        DriverContext context = mock(DriverContext.class);

        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> new PmemDriver().bind(ns, context));

        assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("map=dev"), e.getMessage());
        assertTrue(e.getMessage().contains("takes 4606 pages"), e.getMessage());
        long least =
                PfnInfoBlock.RESERVE
                        + 4606 * Pages.PAGE_SIZE; // 18 MiB: 510 skipped + 8 blocks of 512
        assertTrue(
                e.getMessage()
                        .contains(
                                "accepted: a data offset from "
                                        + least
                                        + " to "
                                        + (GIB - Pages.PAGE_SIZE)),
                e.getMessage());
        verify(context, never()).memremapPages(any());
        assertArrayEquals(before, sha256(ns.memory()), "the media changed");
    }

    @Test
    void theSmallestDataOffsetTheRuleAcceptsBinds() {
        TestNamespace ns = boundOnce();
        long reserve = PfnInfoBlock.RESERVE / Pages.PAGE_SIZE;
        long least =
                PfnInfoBlock.RESERVE
                        + AltmapBlocks.pagesNeededOnAnyArch(ns.range(), reserve) * Pages.PAGE_SIZE;
        rewriteDataOffset(ns, least);
        new PmemDriver().bind(ns, Fixtures.context(mock(DevPagemap.class))).close();
        rewriteDataOffset(ns, least - Pages.PAGE_SIZE);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> new PmemDriver().bind(ns, mock(DriverContext.class)));
        assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
    }

    private static byte[] sha256(MemorySegment memory) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long chunk = 8 * MIB;
        for (long off = 0; off < memory.byteSize(); off += chunk) {
            ByteBuffer b =
                    memory.asSlice(off, Math.min(chunk, memory.byteSize() - off)).asByteBuffer();
            digest.update(b);
        }
        return digest.digest();
    }
}
