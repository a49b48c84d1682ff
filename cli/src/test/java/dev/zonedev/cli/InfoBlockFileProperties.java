package dev.zonedev.cli;

import static dev.zonedev.api.testing.Gens.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.InfoBlockKind;
import dev.zonedev.api.pfn.MapLocation;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.api.testing.Props;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of reading a namespace file's info block without binding it ({@link InfoBlocks#read},
 * what {@code list} and {@code restart} use): a whole block reads back, a file cut anywhere or a
 * block damaged anywhere is blank or refused with a clear error, and the file is never written.
 */
class InfoBlockFileProperties {
    private static Path dir;

    @BeforeAll
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("zonedev-infoblock-props");
    }

    @AfterAll
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static byte[] fileWithBlock(InfoBlockKind kind, MapLocation map) {
        byte[] bytes = new byte[12288];
        Arrays.fill(bytes, 0, 4096, (byte) 0x33); // label area: anything
        new PfnInfoBlock(
                        kind,
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        1,
                        4,
                        8192,
                        1,
                        map,
                        Pages.PAGE_SIZE,
                        12288)
                .encode(
                        MemorySegment.ofArray(bytes)
                                .asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE));
        return bytes;
    }

    @Test
    void aCutOrDamagedFileIsBlankOrRefusedAndNeverWritten() {
        Props.check(
                400,
                enums(InfoBlockKind.class),
                enums(MapLocation.class),
                ints(0, 12288),
                damage(),
                InfoBlockFileProperties::aCutOrDamagedFileIsBlankOrRefusedAndNeverWritten);
    }

    private static void aCutOrDamagedFileIsBlankOrRefusedAndNeverWritten(
            InfoBlockKind kind, MapLocation map, int length, int[] damage) throws Exception {
        byte[] whole = fileWithBlock(kind, map);
        byte[] bytes = Arrays.copyOf(whole, length);
        boolean damaged = false;
        for (int i = 0; i + 1 < damage.length; i += 2) {
            int at = damage[i] % Math.max(1, length);
            if (length > 0 && damage[i + 1] != 0) {
                bytes[at] ^= (byte) damage[i + 1];
                damaged |= at >= PfnInfoBlock.OFFSET && at < PfnInfoBlock.RESERVE;
            }
        }
        Path file = Files.write(dir.resolve("ns.img"), bytes);
        byte[] before = sha(file);
        try {
            Optional<PfnInfoBlock> read = InfoBlocks.read(file);
            assertTrue(
                    length >= PfnInfoBlock.RESERVE,
                    "read a block from a file of " + length + " bytes");
            assertTrue(read.isPresent() && !damaged, "accepted a damaged block");
            assertEquals(kind, read.get().kind());
        } catch (ZoneDeviceException e) {
            assertTrue(
                    e.code() == ErrorCode.IO_ERROR || e.code() == ErrorCode.INVALID, e::toString);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(
                    length < PfnInfoBlock.RESERVE || damaged,
                    "refused a whole block: " + e.getMessage());
        }
        assertArrayEquals(before, sha(file), "reading changed the file");
    }

    private static Gen<int[]> damage() {
        return oneOf(
                just(new int[0]),
                intArrays(ints(0, 12287), 2, 8)
                        .map(
                                a -> {
                                    for (int i = 1; i < a.length; i += 2) {
                                        a[i] = a[i] % 255 + 1;
                                    }
                                    return a;
                                }));
    }

    private static byte[] sha(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
