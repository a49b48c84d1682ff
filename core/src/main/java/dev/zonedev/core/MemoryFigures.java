package dev.zonedev.core;

/**
 * What this process can still commit to RAM, and where the figure comes from. Each source is -1
 * when it is unknown or sets no bound. Immutable.
 *
 * @param memAvailable {@code MemAvailable} of {@code /proc/meminfo}: what the machine can give
 *     without swapping
 * @param cgroupLimit the memory limit of the process's cgroup ({@code memory.max}, or v1 {@code
 *     memory.limit_in_bytes})
 * @param cgroupUsage what the cgroup uses now ({@code memory.current} or v1 {@code
 *     memory.usage_in_bytes}); meaningful with a limit
 * @param cgroup the cgroup directory the limit was read from, or "" without a limit
 * @param jvmHeadroom how much more heap the JVM may still commit ({@code -Xmx} less the heap
 *     committed now): the JVM's own footprint still to come
 * @param setLimit the limit set with {@value MemoryProbe#LIMIT_PROPERTY}: the most the memmaps of
 *     one engine's live namespaces may pin in RAM altogether
 */
record MemoryFigures(
        long memAvailable,
        long cgroupLimit,
        long cgroupUsage,
        String cgroup,
        long jvmHeadroom,
        long setLimit) {

    /**
     * Bytes the process can still commit: the smaller of {@code MemAvailable} and the cgroup's room
     * ({@code limit - usage}), less the JVM's heap headroom; never negative. {@link Long#MAX_VALUE}
     * when neither the machine nor a cgroup says.
     */
    long room() {
        long room = memAvailable >= 0 ? memAvailable : Long.MAX_VALUE;
        if (cgroupLimit >= 0) {
            room = Math.min(room, Math.max(0, cgroupLimit - cgroupUsage));
        }
        return room == Long.MAX_VALUE ? room : Math.max(0, room - Math.max(0, jvmHeadroom));
    }

    /** The sources, for messages: "MemAvailable 21.5 GiB, cgroup limit none, ...". */
    String describe() {
        return "MemAvailable "
                + (memAvailable >= 0 ? human(memAvailable) : "unknown")
                + ", cgroup limit "
                + (cgroupLimit >= 0
                        ? human(cgroupLimit)
                                + " with "
                                + human(cgroupUsage)
                                + " in use ("
                                + cgroup
                                + ")"
                        : "none")
                + ", less "
                + human(Math.max(0, jvmHeadroom))
                + " the JVM heap may still grow by"
                + (setLimit >= 0
                        ? ", and " + MemoryProbe.LIMIT_PROPERTY + "=" + human(setLimit)
                        : "");
    }

    /**
     * Bytes in the largest binary unit below them, one decimal: "32.0 GiB", "512.0 MiB", "4096 B".
     */
    static String human(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            int shift = 40 - 10 * i;
            if (bytes >= 1L << shift) {
                return String.format(
                        java.util.Locale.ROOT, "%.1f %s", bytes / (double) (1L << shift), units[i]);
            }
        }
        return bytes + " B";
    }
}
