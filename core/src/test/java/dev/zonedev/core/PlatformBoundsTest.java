package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformBoundsTest {
    @Test
    void aNamespaceBeyondTheAddressSpaceIsOutOfRangeBeforeAnyStorageIsMapped() {
        NamespaceDriver driver = mock(NamespaceDriver.class);
        when(driver.name()).thenReturn("stub");
        when(driver.apiVersion()).thenReturn(ZonedevApi.VERSION);
        when(driver.supports(any())).thenReturn(true);
        try (Platform platform =
                new Platform(
                        Engine.create(
                                EngineConfig.defaults()
                                        .withMaxPhysicalBytes(1L << 40)
                                        .withArchInstance(TestArch.huge())),
                        List.of(driver))) {
            // 128 TiB of storage could not even be mapped: the old error was an ENOMEM from mmap
            ZoneDeviceException e =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    platform.create(
                                            NamespaceSpec.of("big", 1L << 47, NamespaceMode.RAW)));
            assertEquals(ErrorCode.OUT_OF_RANGE, e.code(), e.getMessage());
            verify(driver, never()).bind(any(), any());
            assertEquals(List.of(), platform.namespaces());
        }
    }
}
