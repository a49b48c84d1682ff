package dev.zonedev.core;

import dev.zonedev.api.ZoneDeviceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds out how much memory this process can still commit ({@link MemoryFigures}): reads {@code
 * MemAvailable} from {@code /proc/meminfo}; finds the process's memory cgroup from {@code
 * /proc/self/cgroup} and {@code /proc/self/mountinfo} and reads its limit and usage (cgroup v2
 * {@code memory.max} and {@code memory.current}, else v1 {@code memory.limit_in_bytes} and {@code
 * memory.usage_in_bytes}); takes the JVM's heap headroom from {@link Runtime}; and the limit a user
 * or a test sets with the system property {@value #LIMIT_PROPERTY} (a size such as {@code 8G}). A
 * file that is missing or unreadable leaves its figure unknown. Immutable; each {@link #read} looks
 * again.
 */
final class MemoryProbe {
    /** System property: the most RAM the memmaps of one engine's live namespaces may pin. */
    static final String LIMIT_PROPERTY = "zonedev.memory.limit";

    /** A v1 limit this large means "no limit" (the kernel reports PAGE_COUNTER_MAX pages). */
    private static final long UNLIMITED = 1L << 62;

    private final Path meminfo;
    private final Path selfCgroup;
    private final Path mountinfo;

    /** A probe reading these three files (the {@code /proc} ones in production). */
    MemoryProbe(Path meminfo, Path selfCgroup, Path mountinfo) {
        this.meminfo = meminfo;
        this.selfCgroup = selfCgroup;
        this.mountinfo = mountinfo;
    }

    /** The probe of this process. */
    static MemoryProbe system() {
        return new MemoryProbe(
                Path.of("/proc/meminfo"),
                Path.of("/proc/self/cgroup"),
                Path.of("/proc/self/mountinfo"));
    }

    /**
     * The figures now.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} when {@value
     *     #LIMIT_PROPERTY} is set to something that is not a size
     */
    MemoryFigures read() {
        Runtime rt = Runtime.getRuntime();
        long headroom = rt.maxMemory() == Long.MAX_VALUE ? 0 : rt.maxMemory() - rt.totalMemory();
        Optional<Path> cgroup = cgroupDir();
        long limit = -1;
        long usage = -1;
        if (cgroup.isPresent()) {
            Path dir = cgroup.get();
            boolean v2 = Files.exists(dir.resolve("memory.max"));
            limit = readBytes(dir.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"));
            usage = readBytes(dir.resolve(v2 ? "memory.current" : "memory.usage_in_bytes"));
            if (limit >= UNLIMITED || usage < 0) {
                limit = -1;
            }
        }
        return new MemoryFigures(
                memAvailable(),
                limit,
                limit >= 0 ? usage : -1,
                limit >= 0 ? cgroup.get().toString() : "",
                headroom,
                setLimit());
    }

    private static long setLimit() {
        String text = System.getProperty(LIMIT_PROPERTY);
        if (text == null) {
            return -1;
        }
        try {
            return Sizes.parse(text);
        } catch (ZoneDeviceException e) {
            throw ZoneDeviceException.invalid(
                    "system property " + LIMIT_PROPERTY + ": " + e.getMessage());
        }
    }

    /** {@code MemAvailable} in bytes, or -1. */
    private long memAvailable() {
        for (String line : lines(meminfo)) {
            if (line.startsWith("MemAvailable:")) {
                String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0])
                            * (parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? 1024 : 1);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * The directory of the process's memory cgroup: the v2 one when a cgroup2 hierarchy is mounted,
     * else the v1 memory controller's; the hierarchy's mount point itself when the process's path
     * is not visible below it (a container's own namespace).
     */
    Optional<Path> cgroupDir() {
        List<String> mounts = lines(mountinfo);
        for (String line : lines(selfCgroup)) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            boolean v2 = f[0].equals("0") && f[1].isEmpty();
            boolean v1 = List.of(f[1].split(",")).contains("memory");
            if (v2 || v1) {
                Optional<Path> dir = mountPoint(mounts, v2).map(m -> resolve(m, f[2]));
                if (dir.isPresent()
                        && Files.exists(
                                dir.get().resolve(v2 ? "memory.max" : "memory.limit_in_bytes"))) {
                    return dir;
                }
            }
        }
        return Optional.empty();
    }

    private static Path resolve(Path mount, String cgroupPath) {
        Path dir = mount.resolve(cgroupPath.replaceFirst("^/+", ""));
        return Files.isDirectory(dir) ? dir : mount;
    }

    /**
     * The mount point of the cgroup2 hierarchy, or of the v1 hierarchy with the memory controller.
     */
    private static Optional<Path> mountPoint(List<String> mounts, boolean v2) {
        for (String line : mounts) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 1) {
                continue;
            }
            boolean match =
                    v2
                            ? post[0].equals("cgroup2")
                            : post[0].equals("cgroup")
                                    && post.length > 2
                                    && List.of(post[2].split(",")).contains("memory");
            if (match) {
                return Optional.of(Path.of(pre[4]));
            }
        }
        return Optional.empty();
    }

    /** A file of one number ("max" reads as no limit, -1 for unreadable). */
    private static long readBytes(Path file) {
        List<String> lines = lines(file);
        if (lines.isEmpty()) {
            return -1;
        }
        String text = lines.getFirst().trim();
        if (text.equals("max")) {
            return UNLIMITED;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
