package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BackingFile} and its helpers on their own: claiming, the one-owner lock, the scan for
 * foreign data through holes, the lock-table parser and the space figures.
 */
class BackingFileTest {
    private static final long MIB = 1L << 20;

    @TempDir Path dir;

    @Test
    void aNewFileIsCreatedSparseLockedAndRemovedWhenDiscarded() {
        Path file = dir.resolve("new.img");
        BackingFile claimed = BackingFile.claim("ns", file, 64 * MIB, false, true);
        assertTrue(claimed.created());
        assertEquals(
                0, FileContents.allocatedBytes(claimed.fd(), 64 * MIB), "a new file is sparse");
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> BackingFile.claim("other", file, 64 * MIB, false, true));
        assertEquals(ErrorCode.BUSY, e.code());
        assertTrue(
                e.getMessage()
                        .contains(
                                "namespace ns of this process (pid "
                                        + ProcessHandle.current().pid()
                                        + ")"),
                e.getMessage());
        claimed.discard();
        assertFalse(Files.exists(file));
    }

    @Test
    void closingAnotherDescriptorOfTheFileKeepsTheLock() throws Exception {
        Path file = dir.resolve("held.img");
        try (BackingFile claimed = BackingFile.claim("ns", file, 8 * MIB, false, true)) {
            assertTrue(claimed != null);
            try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
                reader.read();
            }
            assertThrows(
                    ZoneDeviceException.class,
                    () -> BackingFile.claim("other", file, 8 * MIB, false, true));
        }
        BackingFile.claim("other", file, 8 * MIB, false, true).close();
    }

    @Test
    void theScanForForeignDataSkipsHolesAndFindsTheFirstByte() throws Exception {
        Path file = dir.resolve("sparse.img");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(1L << 30);
            f.seek(512 * MIB + 17);
            f.write(1);
        }
        try (BackingFile claimed = BackingFile.claim("ns", file, 8 * MIB, true, false)) {
            assertEquals(
                    OptionalLong.of(512 * MIB + 17),
                    FileContents.firstNonZero(claimed.fd(), file, 0, 1L << 30));
            assertEquals(
                    OptionalLong.empty(),
                    FileContents.firstNonZero(claimed.fd(), file, 0, 512 * MIB));
        }
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> BackingFile.claim("ns", file, 8 * MIB, false, true));
        assertEquals(ErrorCode.EXISTS, e.code());
        assertTrue(e.getMessage().contains("offset " + (512 * MIB + 17)), e.getMessage());
    }

    @Test
    void theLockTableParserFindsTheFlockHolder() {
        List<String> lines =
                List.of(
                        "1: POSIX  ADVISORY  WRITE 100 fe:00:42 0 EOF",
                        "2: FLOCK  ADVISORY  WRITE 4321 fe:00:42 0 EOF",
                        "2: -> FLOCK  ADVISORY  WRITE 999 fe:00:42 0 EOF",
                        "3: FLOCK  ADVISORY  WRITE 555 fe:01:42 0 EOF");
        assertEquals(OptionalLong.of(4321), FileLockHolder.pidIn(lines, 0xfe, 0, 42));
        assertEquals(OptionalLong.of(555), FileLockHolder.pidIn(lines, 0xfe, 1, 42));
        assertEquals(OptionalLong.empty(), FileLockHolder.pidIn(lines, 0xfe, 0, 43));
        long dev = (0xfeL << 8) | 3;
        assertEquals(0xfe, FileLockHolder.major(dev));
        assertEquals(3, FileLockHolder.minor(dev));
    }

    @Test
    void theSpaceCheckWarnsWithTheFiguresOnlyWhenTheDataCouldNotFit() {
        StorageSpace tight =
                new StorageSpace("ns", dir.resolve("f.img"), 1L << 30, 20 * MIB, 8 * MIB);
        assertEquals((1L << 30) - 20 * MIB, tight.unallocated());
        String warning = tight.warning().orElseThrow();
        assertTrue(
                warning.contains(Long.toString(tight.unallocated()))
                        && warning.contains(Long.toString(8 * MIB))
                        && warning.contains("f.img"),
                warning);
        assertTrue(
                new StorageSpace("ns", dir.resolve("f.img"), 64 * MIB, 0, 64 * MIB)
                        .warning()
                        .isEmpty());
    }
}
