package dev.zonedev.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Finds which process holds the {@code flock} on a file, from the kernel's own table ({@code
 * /proc/locks}), so a refused claim can name the owner. The kernel keeps that table exact (an entry
 * goes when its open file is closed or its process dies), so no lock record of ours can go stale.
 * Stateless and thread-safe.
 */
final class FileLockHolder {
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private FileLockHolder() {}

    /**
     * The pid holding a {@code FLOCK} lock on {@code file}, or empty when it cannot be known (no
     * {@code /proc/locks}, the file gone, or the lock released meanwhile).
     */
    static OptionalLong pidOf(Path file) {
        try {
            long dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
            long ino = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            return pidIn(Files.readAllLines(PROC_LOCKS), major(dev), minor(dev), ino);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The pid of the first granted {@code FLOCK} entry in {@code lines} (the format of {@code
     * /proc/locks}: {@code 1: FLOCK ADVISORY WRITE <pid> <maj>:<min>:<ino> 0 EOF}, the device
     * numbers in hex) on device {@code major:minor}, inode {@code ino}.
     */
    static OptionalLong pidIn(List<String> lines, long major, long minor, long ino) {
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 6 || f[1].equals("->") || !f[1].equals("FLOCK")) {
                continue;
            }
            String[] id = f[5].split(":");
            if (id.length == 3
                    && Long.parseLong(id[0], 16) == major
                    && Long.parseLong(id[1], 16) == minor
                    && Long.parseLong(id[2]) == ino) {
                return OptionalLong.of(Long.parseLong(f[4]));
            }
        }
        return OptionalLong.empty();
    }

    /** glibc's {@code major()} of a {@code dev_t}. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
    }

    /** glibc's {@code minor()} of a {@code dev_t}. */
    static long minor(long dev) {
        return (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
    }
}
