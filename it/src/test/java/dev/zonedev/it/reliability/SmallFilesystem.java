package dev.zonedev.it.reliability;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small filesystem for tests that must run out of space without filling the machine's disk:
 * a {@code tmpfs} of a given size mounted on a directory. Mounting needs root (or {@code
 * CAP_SYS_ADMIN}); where the environment cannot mount, {@link #mount} skips the test with a JUnit
 * assumption saying why. Not thread-safe: one test class owns it.
 */
@SuppressWarnings("try") // close() waits for umount, so it may be interrupted
final class SmallFilesystem implements AutoCloseable {
    private final Path dir;

    private SmallFilesystem(Path dir) {
        this.dir = dir;
    }

    /**
     * Mounts a tmpfs of {@code size} (e.g. {@code 8m}) on {@code dir}, or skips the test when that
     * is impossible.
     */
    static SmallFilesystem mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Result r =
                run(
                        "mount",
                        "-t",
                        "tmpfs",
                        "-o",
                        "size=" + size + ",mode=0700",
                        "tmpfs",
                        dir.toString());
        assumeTrue(
                r.code() == 0,
                "cannot mount a "
                        + size
                        + " tmpfs on "
                        + dir
                        + " (needs root and a kernel that"
                        + " allows mounts here): "
                        + r.output());
        return new SmallFilesystem(dir);
    }

    /** The mount point. */
    Path dir() {
        return dir;
    }

    /** Unmounts (lazily, so an open descriptor left by a failed test cannot keep it mounted). */
    @Override
    public void close() throws IOException, InterruptedException {
        Result r = run("umount", "-l", dir.toString());
        if (r.code() != 0) {
            throw new IOException("umount " + dir + " failed: " + r.output());
        }
    }

    private record Result(int code, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, command[0] + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), out.strip());
    }
}
