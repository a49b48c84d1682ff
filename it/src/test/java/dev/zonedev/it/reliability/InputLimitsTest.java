package dev.zonedev.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, defects 4 and 14, end to end on the platform with the shipped drivers: an info block
 * whose altmap cannot hold the memmap's aligned blocks is refused at create with the file
 * unchanged; a namespace whose memmap would not fit the memory the process may use is refused with
 * ENOMEM naming it and what would fit, and the {@code map=dev} form it suggests is admitted.
 */
class InputLimitsTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @TempDir Path dir;

    /**
     * Rewrites the info block of {@code file} with another data offset, as a tool or a bad write
     * could.
     */
    private static void rewriteDataOffset(Path file, long dataOffset) throws Exception {
        try (Arena arena = Arena.ofConfined();
                FileChannel ch =
                        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment page =
                    ch.map(
                            FileChannel.MapMode.READ_WRITE,
                            PfnInfoBlock.OFFSET,
                            PfnInfoBlock.SIZE,
                            arena);
            PfnInfoBlock b = PfnInfoBlock.decode(page, file.toString());
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
            page.force();
        }
    }

    @Test
    void aMapDevBlockWithTooLittleAltmapForTheAlignedBlocksIsRefusedAtCreateAndTheFileKept()
            throws Exception {
        Path file = dir.resolve("pmem0.img");
        NamespaceSpec spec =
                NamespaceSpec.of("namespace0.0", GIB, NamespaceMode.FSDAX)
                        .withAlign(Pages.PAGE_SIZE)
                        .withOption("map", "dev")
                        .withFile(file);
        try (Platform platform = Targets.platform("x86_64", 2, 8)) {
            platform.create(spec);
        }
        rewriteDataOffset(file, PfnInfoBlock.RESERVE + 16 * MIB);
        String before = Targets.sha256(file);
        try (Platform platform = Targets.platform("x86_64", 2, 8)) {
            ZoneDeviceException e =
                    assertThrows(ZoneDeviceException.class, () -> platform.create(spec));
            assertEquals(ErrorCode.IO_ERROR, e.code(), e.getMessage());
            assertTrue(
                    e.getMessage().contains("accepted: a data offset from " + 18 * MIB),
                    e.getMessage());
            assertTrue(platform.namespaces().isEmpty());
        }
        assertEquals(before, Targets.sha256(file), "the file changed");
    }

    @Test
    void aNamespaceWhoseMemmapExceedsTheLimitIsRefusedAndTheMapDevFormItSuggestsIsAdmitted() {
        String old = System.getProperty("zonedev.memory.limit");
        System.setProperty("zonedev.memory.limit", "8M");
        try (Platform platform = Targets.platform("x86_64", 2, 8)) {
            platform.engine().testing().backgroundGate().hold();
            ZoneDeviceException e =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    platform.create(
                                            NamespaceSpec.of("big", GIB, NamespaceMode.FSDAX)));
            assertEquals(ErrorCode.OUT_OF_MEMORY, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("namespace big: the memmap of"), e.getMessage());
            assertTrue(e.getMessage().contains("needs 16.0 MiB of RAM"), e.getMessage());
            assertTrue(e.getMessage().contains("a size of at most 512.0 MiB"), e.getMessage());
            assertTrue(platform.namespaces().isEmpty());
            assertTrue(platform.engine().memremap().livePagemaps().isEmpty());
            platform.create(
                    NamespaceSpec.of("big", GIB, NamespaceMode.FSDAX)
                            .withOption("map", "dev")
                            .withFile(dir.resolve("big.img")));
            platform.create(NamespaceSpec.of("small", 512 * MIB, NamespaceMode.FSDAX));
        } finally {
            if (old == null) {
                System.clearProperty("zonedev.memory.limit");
            } else {
                System.setProperty("zonedev.memory.limit", old);
            }
        }
    }
}
