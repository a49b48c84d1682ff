package dev.zonedev.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.cli.Zonedev;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.driver.pmem.FsDax;
import dev.zonedev.driver.pmem.PmemNamespace;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 13 of issue 9: a full filesystem must give a clear ENOSPC naming the file, not a JVM stack
 * trace, and must not leave a file behind or change one that existed. Runs on a real 8 MiB tmpfs
 * the test mounts (skipped by assumption only where mounting is impossible).
 */
@ExtendWith(Reliability.class)
class FullFilesystemTest {
    private static final long MIB = 1L << 20;

    @TempDir Path tmp;

    private SmallFilesystem fs;

    @BeforeEach
    void mount() throws Exception {
        fs = SmallFilesystem.mount(tmp.resolve("small"), "8m");
    }

    @AfterEach
    void unmount() throws Exception {
        if (fs != null) {
            fs.close();
        }
    }

    @Test
    void aMapDevNamespaceWhoseMemmapCannotFitIsRefusedWithEnospcAndItsNewFileRemoved() {
        Path file = fs.dir().resolve("a.img");
        try (Platform platform = Targets.platform("x86_64", 2, 4)) {
            ZoneDeviceException e = refusedMapDev(platform, file, NamespaceMode.FSDAX);
            assertEquals("ENOSPC", e.code().errno(), e.getMessage());
            assertTrue(
                    e.getMessage().contains(file.toString()),
                    "the error names the file: " + e.getMessage());
            assertTrue(platform.namespaces().isEmpty());
        }
        assertFalse(Files.exists(file), "the file this run created was left behind");
    }

    @Test
    void theBootCommandOfTheIssueExitsWithEnospcAndNoStackTrace() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Zonedev.execute(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "boot",
                        "--data-dir",
                        fs.dir().toString(),
                        "--namespace",
                        "n:size=1G,mode=fsdax,map=dev,file=a.img",
                        "--no-progress");
        String report = "exit " + code + "\n" + out + "\n" + err;
        assertEquals(1, code, report);
        assertTrue(
                err.toString().contains("ENOSPC")
                        && err.toString().contains(fs.dir().resolve("a.img").toString()),
                report);
        assertFalse(
                err.toString().contains("InternalError") || err.toString().contains("\tat "),
                report);
        assertFalse(Files.exists(fs.dir().resolve("a.img")), "a 1 GiB sparse file was left behind");
    }

    @Test
    void aScenarioWriteOnAFullFilesystemIsAnEnospcStep() throws Exception {
        Path scenario = tmp.resolve("full.yaml");
        Files.writeString(
                scenario,
                """
                steps:
                  - boot: {workers: 2, rangesPerWorker: 4}
                  - create: "namespace0.0:size=1G,mode=fsdax,map=dev,file=big.img"
                    expect: ENOSPC
                  - create: "namespace1.0:size=64M,mode=fsdax,file=data.img"
                  - write: {namespace: namespace1.0, offset: 0, fill: 90, length: 16M}
                    expect: ENOSPC
                  - teardown
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Zonedev.execute(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "run",
                        scenario.toString(),
                        "--data-dir",
                        fs.dir().toString());
        String report = "exit " + code + "\n" + out + "\n" + err;
        assertEquals(0, code, report);
        assertTrue(
                out.toString().contains("data.img"), "the write's error names the file: " + report);
        assertFalse(Files.exists(fs.dir().resolve("big.img")), report);
    }

    @Test
    void anExistingEmptyFileIsLeftAsItWasWhenTheMemmapCannotFit() throws Exception {
        Path file = fs.dir().resolve("existing.img");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        try (Platform platform = Targets.platform("x86_64", 2, 4)) {
            ZoneDeviceException e = refusedMapDev(platform, file, NamespaceMode.DEVDAX);
            assertEquals("ENOSPC", e.code().errno(), e.getMessage());
        }
        assertTrue(Files.exists(file), "an existing file was removed");
        assertEquals(1L << 30, Files.size(file));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] page = new byte[8192];
            f.readFully(page);
            assertTrue(Arrays.equals(page, new byte[8192]), "the existing file got an info block");
        }
    }

    @Test
    void aDataWriteOnAFullFilesystemFailsWithEnospcNotAJvmError() {
        Path file = fs.dir().resolve("data.img");
        try (Platform platform = Targets.platform("x86_64", 2, 4)) {
            Namespace ns =
                    platform.create(
                            NamespaceSpec.of("namespace0.0", 64 * MIB, NamespaceMode.FSDAX)
                                    .withFile(file));
            FsDax dax = new FsDax(((PmemNamespace) ns.bound().orElseThrow()).device());
            byte[] chunk = new byte[(int) MIB];
            Arrays.fill(chunk, (byte) 0x5a);
            ZoneDeviceException e =
                    assertThrows(
                            ZoneDeviceException.class,
                            () -> {
                                for (long pos = 0;
                                        pos + chunk.length <= dax.size();
                                        pos += chunk.length) {
                                    dax.write(pos, chunk);
                                }
                            });
            assertEquals("ENOSPC", e.code().errno(), e.getMessage());
            assertTrue(
                    Arrays.equals(chunk, dax.read(0, chunk.length)),
                    "bytes written before the fault were lost");
        }
    }

    /** The refusal of a 1 GiB {@code map=dev} namespace over {@code file}. */
    private static ZoneDeviceException refusedMapDev(
            Platform platform, Path file, NamespaceMode mode) {
        return assertThrows(
                ZoneDeviceException.class,
                () ->
                        platform.create(
                                NamespaceSpec.of("namespace0.0", 1L << 30, mode)
                                        .withFile(file)
                                        .withOption("map", "dev")));
    }
}
