package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Unit tests of the admission rule, with the memory figures given by a mocked probe. */
class MemmapAdmissionTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private final MemoryProbe probe = mock(MemoryProbe.class);
    private final PhysicalMemory physicalMemory = new PhysicalMemory(1L << 40);
    private final MemmapAdmission admission =
            new MemmapAdmission(probe, physicalMemory, TestArch.huge());

    private void room(
            long memAvailable,
            long cgroupLimit,
            long cgroupUsage,
            long jvmHeadroom,
            long setLimit) {
        when(probe.read())
                .thenReturn(
                        new MemoryFigures(
                                memAvailable,
                                cgroupLimit,
                                cgroupUsage,
                                cgroupLimit >= 0 ? "/sys/fs/cgroup/test" : "",
                                jvmHeadroom,
                                setLimit));
    }

    private static PagemapRequest ram(long start, long size) {
        return new PagemapRequest(new PhysicalRange(start, size), 0, Optional.empty(), true);
    }

    @Test
    void aMemmapLargerThanTheRoomIsRefusedNamingNeedAvailableAndWhatWouldFit() {
        room(24 * GIB, -1, -1, 6 * GIB, -1);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class, () -> admission.admit(ram(4 * GIB, 2L << 40)));
        assertEquals(ErrorCode.OUT_OF_MEMORY, e.code());
        String m = e.getMessage();
        assertTrue(m.contains("needs 32.0 GiB of RAM"), m);
        assertTrue(m.contains("can use only 18.0 GiB"), m);
        assertTrue(m.contains("MemAvailable 24.0 GiB"), m);
        assertTrue(m.contains("6.0 GiB the JVM heap may still grow by"), m);
        assertTrue(m.contains("a size of at most 1.1 TiB (1236950581248 bytes)"), m);
        assertTrue(m.contains("map=dev with a file="), m);
    }

    @Test
    void theCgroupRoomBoundsTheMachinesRoom() {
        room(24 * GIB, 4 * GIB, 3 * GIB, 0, -1);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class, () -> admission.admit(ram(4 * GIB, 128 * GIB)));
        assertTrue(
                e.getMessage().contains("cgroup limit 4.0 GiB with 3.0 GiB in use"),
                e.getMessage());
        assertEquals(GIB, admission.admit(ram(4 * GIB, 64 * GIB)).bytes());
    }

    @Test
    void whatLiveNamespacesWillStillTouchCountsAgainstTheRoomUntilReleased() {
        room(3 * GIB, -1, -1, 0, -1);
        MemmapAdmission.Reservation first = admission.admit(ram(4 * GIB, 128 * GIB)); // 2 GiB
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> admission.admit(ram(256 * GIB, 128 * GIB)));
        assertTrue(
                e.getMessage()
                        .contains("less 2.0 GiB that live namespaces' memmaps will still take"),
                e.getMessage());
        first.release();
        assertEquals(2 * GIB, admission.admit(ram(256 * GIB, 128 * GIB)).bytes());
    }

    @Test
    void aSetLimitCountsEverythingLiveNamespacesWereAdmittedWith() {
        room(64 * GIB, -1, -1, 0, GIB);
        MemmapAdmission.Reservation first = admission.admit(ram(4 * GIB, 32 * GIB)); // 512 MiB
        assertEquals(512 * MIB, first.bytes());
        admission.admit(ram(64 * GIB, 32 * GIB)).release();
        MemmapAdmission.Reservation second = admission.admit(ram(64 * GIB, 32 * GIB));
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class, () -> admission.admit(ram(128 * GIB, 2 * GIB)));
        assertTrue(e.getMessage().contains("zonedev.memory.limit=1.0 GiB"), e.getMessage());
        second.release();
        first.release();
    }

    @Test
    void aMemmapInAFileBackedAltmapNeedsNoRamButOneInAnonymousMemoryDoes() throws Exception {
        room(0, -1, -1, 0, 0);
        PhysicalRange range = new PhysicalRange(4 * GIB, 64 * MIB);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("admission", ".img");
        java.nio.file.Files.delete(file); // created sparse at the device size by DeviceMemory
        try (DeviceMemory onFile = DeviceMemory.file("f", range, file)) {
            physicalMemory.register(onFile);
            PagemapRequest request =
                    new PagemapRequest(
                            range, 0, Optional.of(VmemAltmap.of(range.startPfn(), 2, 1024)), true);
            assertEquals(0, admission.admit(request).bytes());
            physicalMemory.unregister(range);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        try (DeviceMemory anonymous = DeviceMemory.anonymous("a", range)) {
            physicalMemory.register(anonymous);
            PagemapRequest request =
                    new PagemapRequest(
                            range, 0, Optional.of(VmemAltmap.of(range.startPfn(), 2, 1024)), true);
            assertEquals(
                    ErrorCode.OUT_OF_MEMORY,
                    assertThrows(ZoneDeviceException.class, () -> admission.admit(request)).code());
        }
    }
}
