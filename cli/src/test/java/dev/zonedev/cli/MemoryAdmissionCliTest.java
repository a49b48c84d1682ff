package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 14 of issue 9 from the command line: {@code boot --namespace n:size=2T} (a 32 GiB memmap
 * in RAM) exits 1 with a message instead of being OOM-killed. The test sets the limit ({@code
 * zonedev.memory.limit=16G}), so the outcome does not depend on the machine.
 */
class MemoryAdmissionCliTest {
    private static final String LIMIT = "zonedev.memory.limit";
    private String old;

    @TempDir Path dir;

    @BeforeEach
    void limit() {
        old = System.getProperty(LIMIT);
        System.setProperty(LIMIT, "16G");
    }

    @AfterEach
    void restore() {
        if (old == null) {
            System.clearProperty(LIMIT);
        } else {
            System.setProperty(LIMIT, old);
        }
    }

    @Test
    void aTwoTebibyteNamespaceWithItsMemmapInRamIsRefusedWithWhatWouldFit() {
        Cli.Result r =
                Cli.run(dir, "boot", "--workers", "1", "--no-progress", "--namespace", "n:size=2T");
        assertEquals(1, r.code(), r.toString());
        String err = r.err();
        assertTrue(err.contains("ENOMEM: namespace n: the memmap of"), err);
        assertTrue(err.contains("needs 32.0 GiB of RAM"), err);
        assertTrue(err.contains("can use only"), err);
        assertTrue(err.contains("map=dev with a file="), err);
        assertTrue(err.contains("a size of at most"), err);
    }

    @Test
    void aRefusedFileBackedNamespaceLeavesNoFileBehind() {
        Cli.Result r =
                Cli.run(
                        dir,
                        "boot",
                        "--workers",
                        "1",
                        "--no-progress",
                        "--data-dir",
                        dir.toString(),
                        "--namespace",
                        "n:size=2T,file=big.img");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("needs 32.0 GiB of RAM"), r.err());
        assertTrue(
                Files.notExists(dir.resolve("big.img")), "the file this run created was removed");
    }
}
