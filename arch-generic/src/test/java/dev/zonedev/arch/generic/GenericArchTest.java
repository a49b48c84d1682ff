package dev.zonedev.arch.generic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.Arch;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapAsync;
import dev.zonedev.api.MemoryHotplug;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemmapBlockSize;
import dev.zonedev.api.ZoneDeviceException;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class GenericArchTest {
    private final PhysicalRange range = new PhysicalRange(1L << 30, 1L << 28);

    @Test
    void asyncAddAnswersWouldBlockAndTouchesNothing() {
        MemoryHotplug hotplug = mock(MemoryHotplug.class);
        AddMemoryRequest request =
                new AddMemoryRequest(
                        0, range, Optional.empty(), Optional.of(mock(MemmapAsync.class)));
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> new GenericArch().addMemory(request, hotplug));
        assertEquals(ErrorCode.WOULD_BLOCK, e.code());
        verifyNoInteractions(hotplug);
    }

    @Test
    void syncAddIsPassedOn() {
        MemoryHotplug hotplug = mock(MemoryHotplug.class);
        AddMemoryRequest request =
                new AddMemoryRequest(0, range, Optional.empty(), Optional.empty());
        new GenericArch().addMemory(request, hotplug);
        verify(hotplug).addPages(request);
    }

    @Test
    void declaresBasePagesAndIsDiscoverable() {
        Arch arch =
                ServiceLoader.load(Arch.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .filter(a -> a.name().equals("generic"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(VmemmapBlockSize.BASE_4K, arch.vmemmapBlockSize());
        assertEquals(256L << 20, arch.sectionSize());
    }
}
