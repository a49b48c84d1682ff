package dev.zonedev.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 12 of issue 9: a namespace's backing file has one owner. While one platform (in this JVM
 * or in another process) has it, a second claim fails with EBUSY naming the holder's pid, and
 * changes nothing; once the owner lets go (destroy, exit or death) the file can be claimed again.
 */
@ExtendWith(Reliability.class)
class FileOwnershipTest {
    private static final long SIZE = 64L << 20;

    @TempDir Path dir;

    private static NamespaceSpec spec(Path file) {
        return NamespaceSpec.of("namespace0.0", SIZE, NamespaceMode.FSDAX)
                .withFile(file)
                .withOption("map", "dev");
    }

    @Test
    void aSecondPlatformInThisJvmIsRefusedUntilTheFirstLetsGo() {
        Path file = dir.resolve("shared.img");
        try (Platform first = Targets.platform("x86_64", 1, 4);
                Platform second = Targets.platform("x86_64", 1, 4)) {
            first.create(spec(file));
            ZoneDeviceException e =
                    assertThrows(ZoneDeviceException.class, () -> second.create(spec(file)));
            assertEquals("EBUSY", e.code().errno(), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(
                    e.getMessage().contains("pid " + ProcessHandle.current().pid()),
                    e.getMessage());
            assertTrue(second.namespaces().isEmpty(), "the refused create left a namespace behind");

            first.destroy("namespace0.0");
            second.create(spec(file));
            assertThrows(
                    ZoneDeviceException.class,
                    () -> first.create(spec(file)),
                    "the owner changed hands");
        }
    }

    @Test
    void aFileBoundByAnotherProcessIsRefusedWithItsPidUntilItExits() throws Exception {
        Path file = dir.resolve("shared.img");
        Process child = startOwner(file);
        try (Platform platform = Targets.platform("x86_64", 1, 4)) {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            long pid = Long.parseLong(awaitLine(out, "BOUND ").substring(6).strip());
            assertEquals(child.pid(), pid);

            ZoneDeviceException e =
                    assertThrows(ZoneDeviceException.class, () -> platform.create(spec(file)));
            assertEquals("EBUSY", e.code().errno(), e.getMessage());
            assertTrue(
                    e.getMessage().contains("pid " + pid),
                    "the holder's pid is named: " + e.getMessage());

            child.getOutputStream().close();
            awaitLine(out, "RELEASED");
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit");
            assertEquals(0, child.exitValue());
            platform.create(spec(file));
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aKilledOwnerLeavesNoStaleLock() throws Exception {
        Path file = dir.resolve("shared.img");
        Process child = startOwner(file);
        try (Platform platform = Targets.platform("x86_64", 1, 4)) {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            awaitLine(out, "BOUND ");
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
            platform.create(spec(file));
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process startOwner(Path file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        FileOwnerChild.class.getName(),
                        file.toString(),
                        Long.toString(SIZE))
                .redirectErrorStream(true)
                .start();
    }

    private static String awaitLine(BufferedReader out, String prefix) {
        return Waits.within(
                Waits.HANG,
                "the child to print " + prefix.strip(),
                () -> {
                    StringBuilder seen = new StringBuilder();
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith(prefix)) {
                            return line;
                        }
                        seen.append(line).append('\n');
                    }
                    throw Waits.failure(
                            "the child ended before printing " + prefix.strip() + ": " + seen);
                });
    }
}
