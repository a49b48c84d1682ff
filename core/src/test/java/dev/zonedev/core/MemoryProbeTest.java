package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe reads MemAvailable and the cgroup's limit from files laid out as on Linux. */
class MemoryProbeTest {
    private static final long GIB = 1L << 30;

    @TempDir Path dir;

    private MemoryProbe probe(String selfCgroup, String mountinfo) throws IOException {
        Files.writeString(
                dir.resolve("meminfo"),
                "MemTotal:       24684084 kB\nMemFree:        22040576 kB\n"
                        + "MemAvailable:   20971520 kB\n");
        Files.writeString(dir.resolve("cgroup"), selfCgroup);
        Files.writeString(dir.resolve("mountinfo"), mountinfo);
        return new MemoryProbe(
                dir.resolve("meminfo"), dir.resolve("cgroup"), dir.resolve("mountinfo"));
    }

    private Path cgroup(String path, String... files) throws IOException {
        Path d = dir.resolve(path);
        Files.createDirectories(d);
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(d.resolve(files[i]), files[i + 1] + "\n");
        }
        return d;
    }

    @Test
    void readsMemAvailableAndTheCgroupV2LimitAndUsage() throws IOException {
        Path cg =
                cgroup(
                        "cg2/user/job",
                        "memory.max",
                        String.valueOf(8 * GIB),
                        "memory.current",
                        String.valueOf(GIB));
        MemoryFigures f =
                probe(
                                "0::/user/job\n",
                                "41 31 0:38 / " + dir.resolve("cg2") + " rw - cgroup2 cgroup2 rw\n")
                        .read();
        assertEquals(20 * GIB, f.memAvailable());
        assertEquals(8 * GIB, f.cgroupLimit());
        assertEquals(GIB, f.cgroupUsage());
        assertEquals(cg.toString(), f.cgroup());
        assertEquals(Math.min(20 * GIB, 7 * GIB) - Math.max(0, f.jvmHeadroom()), f.room());
    }

    @Test
    void readsTheCgroupV1MemoryControllerAndTakesMaxAsNoLimit() throws IOException {
        cgroup(
                "memory/box",
                "memory.limit_in_bytes",
                String.valueOf(2 * GIB),
                "memory.usage_in_bytes",
                String.valueOf(GIB));
        cgroup("cg2", "memory.max", "max", "memory.current", "5");
        String mounts =
                "35 31 0:32 / "
                        + dir.resolve("memory")
                        + " rw,relatime - cgroup cgroup rw,memory\n"
                        + "41 31 0:38 / "
                        + dir.resolve("cg2")
                        + " rw,relatime - cgroup2 cgroup2 rw\n";
        MemoryFigures v1 = probe("4:memory:/box\n0::/\n", mounts).read();
        assertEquals(2 * GIB, v1.cgroupLimit());
        assertEquals(GIB, v1.cgroupUsage());
        MemoryFigures none = probe("0::/\n", mounts).read();
        assertEquals(-1, none.cgroupLimit(), "memory.max reading max is no limit");
    }

    @Test
    void aProcessPathNotVisibleBelowTheMountReadsTheMountItself() throws IOException {
        cgroup(
                "memory",
                "memory.limit_in_bytes",
                "9223372036854771712",
                "memory.usage_in_bytes",
                "1");
        MemoryFigures f =
                probe(
                                "4:memory:/elsewhere/x\n",
                                "35 31 0:32 / "
                                        + dir.resolve("memory")
                                        + " rw - cgroup cgroup rw,memory\n")
                        .read();
        assertEquals(-1, f.cgroupLimit(), "the kernel's 'unlimited' is no limit");
    }

    @Test
    void missingFilesLeaveTheFiguresUnknown() {
        MemoryFigures f =
                new MemoryProbe(dir.resolve("none"), dir.resolve("none"), dir.resolve("none"))
                        .read();
        assertEquals(-1, f.memAvailable());
        assertEquals(-1, f.cgroupLimit());
        assertEquals(Long.MAX_VALUE, f.room());
    }

    @Test
    void theLimitPropertyIsASize() throws IOException {
        MemoryProbe p = probe("", "");
        String old = System.getProperty(MemoryProbe.LIMIT_PROPERTY);
        try {
            System.setProperty(MemoryProbe.LIMIT_PROPERTY, "3G");
            assertEquals(3 * GIB, p.read().setLimit());
            System.setProperty(MemoryProbe.LIMIT_PROPERTY, "lots");
            ZoneDeviceException e = assertThrows(ZoneDeviceException.class, p::read);
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains(MemoryProbe.LIMIT_PROPERTY), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(MemoryProbe.LIMIT_PROPERTY);
            } else {
                System.setProperty(MemoryProbe.LIMIT_PROPERTY, old);
            }
        }
    }
}
