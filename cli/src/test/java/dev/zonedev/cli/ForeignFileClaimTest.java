package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 11 of issue 9: an existing file that zonedev did not create must not be claimed silently.
 * A 32 MiB disk image (boot sector and GPT header in its first 4 KiB, zeros at 4096, partition data
 * at 1 MiB) is refused with a clear error and left byte for byte unchanged, unless the spec says
 * {@code force=true}; an all-zero sparse file and a file zonedev created are still claimed.
 */
class ForeignFileClaimTest {
    private static final long MIB = 1L << 20;

    @TempDir Path dir;

    @Test
    void aDiskImageIsRefusedAndLeftByteForByteUnchanged() throws Exception {
        Path image = diskImage(dir.resolve("disk.img"));
        String before = sha256(image);
        FileTime modified = Files.getLastModifiedTime(image);

        Cli.Result r = boot("n:size=32M,file=disk.img");

        assertNotEquals(0, r.code(), r.toString());
        assertTrue(
                r.err().contains("EEXIST")
                        && r.err().contains(image.toString())
                        && r.err().contains("force=true"),
                "the error names the problem, the file and the way to force it: " + r);
        assertEquals(before, sha256(image), "the disk image was changed");
        assertEquals(modified, Files.getLastModifiedTime(image), "the disk image was written to");
    }

    @Test
    void forceTrueClaimsTheImage() throws Exception {
        Path image = diskImage(dir.resolve("disk.img"));
        String before = sha256(image);

        Cli.Result r = boot("n:size=32M,file=disk.img,force=true");

        assertEquals(0, r.code(), r.toString());
        assertNotEquals(
                before, sha256(image), "force=true claims the file and writes its info block");
    }

    @Test
    void forceTrueAlsoClearsForeignBytesWhereTheInfoBlockGoes() throws Exception {
        Path file = dir.resolve("junk.img");
        byte[] junk = new byte[(int) (4 * MIB)];
        Arrays.fill(junk, (byte) 0x5a);
        Files.write(file, junk);

        Cli.Result refused = boot("n:size=4M,file=junk.img");
        assertEquals(1, refused.code(), refused.toString());
        assertArrayEquals(junk, Files.readAllBytes(file), "a refused file is left untouched");

        Cli.Result forced = boot("n:size=4M,file=junk.img,force=true");
        assertEquals(0, forced.code(), forced.toString());
    }

    @Test
    void anAllZeroSparseFileIsClaimed() throws Exception {
        Path file = dir.resolve("zero.img");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(32 * MIB);
        }
        Cli.Result r = boot("n:size=32M,file=zero.img");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void aRawNamespaceFileZonedevCreatedIsReopened() throws Exception {
        Path scenario = dir.resolve("raw.yaml");
        Files.writeString(
                scenario,
                """
                steps:
                  - boot: {workers: 1, rangesPerWorker: 1}
                  - create: "raw1:size=8M,mode=raw,file=raw1.img"
                  - write: {namespace: raw1, offset: 0, data: "raw bytes of ours"}
                  - teardown
                  - restart
                  - read: {namespace: raw1, offset: 0, data: "raw bytes of ours"}
                """);
        Cli.Result r = Cli.run(dir, "run", scenario.toString(), "--data-dir", dir.toString());
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void forceTakesTrueOrFalseOnly() {
        Cli.Result r = boot("n:size=32M,file=x.img,force=yes");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("force=true"), r.toString());
        assertTrue(Files.notExists(dir.resolve("x.img")), "bad input creates nothing");
    }

    /**
     * A 32 MiB image: MBR boot sector and GPT header in the first 4 KiB, zeros at 4096, data at 1
     * MiB.
     */
    static Path diskImage(Path file) throws IOException {
        byte[] bytes = new byte[(int) (32 * MIB)];
        bytes[0] = (byte) 0xeb;
        bytes[1] = 0x63;
        bytes[2] = (byte) 0x90;
        bytes[510] = 0x55;
        bytes[511] = (byte) 0xaa;
        byte[] gpt = "EFI PART".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(gpt, 0, bytes, 512, gpt.length);
        byte[] data = "partition data at 1 MiB".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(data, 0, bytes, (int) MIB, data.length);
        Files.write(file, bytes);
        assertArrayEquals(new byte[4096], java.util.Arrays.copyOfRange(bytes, 4096, 8192));
        return file;
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /**
     * {@code zonedev boot} of one namespace in the test's data directory, without progress bars.
     */
    private Cli.Result boot(String namespace) {
        return Cli.run(
                dir,
                "boot",
                "--data-dir",
                dir.toString(),
                "--namespace",
                namespace,
                "--no-progress");
    }
}
