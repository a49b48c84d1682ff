package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupt that lands while a create reads an existing backing file is an interrupt, not a
 * media error (found by the soak: "EIO: cannot read FILE: ClosedByInterruptException").
 */
class InterruptedFileCheckTest {
    @Test
    void anInterruptedCheckIsEintrKeepsTheFlagAndLeavesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("foreign.img");
        byte[] bytes = new byte[4 << 20];
        Arrays.fill(bytes, 1 << 20, 1 << 20 | 4096, (byte) 0x5a);
        Files.write(file, bytes);
        int fd = Native.open(file.toString(), Native.O_RDWR | Native.O_CLOEXEC);
        try {
            Thread.currentThread().interrupt();
            ZoneDeviceException e =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    ExistingFileCheck.check(
                                            "ns", file, fd, bytes.length, false, true));
            assertEquals(ErrorCode.INTERRUPTED, e.code(), e.getMessage());
            assertTrue(Thread.interrupted(), "the interrupt flag stays set for the caller");
        } finally {
            Thread.interrupted();
            Native.close(fd);
        }
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }
}
