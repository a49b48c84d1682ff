package dev.zonedev.arch.x86_64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.Arch;
import dev.zonedev.api.MemmapAsync;
import dev.zonedev.api.MemoryHotplug;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemmapBlockSize;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class X86_64ArchTest {
    @Test
    void asyncAddIsPassedOnWithItsHandle() {
        MemoryHotplug hotplug = mock(MemoryHotplug.class);
        AddMemoryRequest request =
                new AddMemoryRequest(
                        1,
                        new PhysicalRange(1L << 30, 1L << 27),
                        Optional.empty(),
                        Optional.of(mock(MemmapAsync.class)));
        new X86_64Arch().addMemory(request, hotplug);
        verify(hotplug).addPages(request);
    }

    @Test
    void declaresHugeBlocksAndIsDiscoverable() {
        Arch arch =
                ServiceLoader.load(Arch.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .filter(a -> a.name().equals("x86_64"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(VmemmapBlockSize.HUGE_2M, arch.vmemmapBlockSize());
        assertEquals(128L << 20, arch.sectionSize());
    }
}
