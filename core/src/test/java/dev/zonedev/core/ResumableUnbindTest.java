package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A destroy or disable whose driver close was stopped (an interrupt, a timeout) leaves the
 * namespace bound, so the retry closes the driver again and the teardown resumes; the soak found
 * the old behaviour (the retry returned at once and a pagemap with a reference stayed).
 */
class ResumableUnbindTest {
    @Test
    void aStoppedCloseIsResumedByTheRetriedDestroy() {
        BoundNamespace bound = mock(BoundNamespace.class);
        doThrow(
                        new ZoneDeviceException(
                                ErrorCode.INTERRUPTED,
                                "interrupted; phases left: [AWAIT_REFERENCES]"))
                .doNothing()
                .when(bound)
                .close();
        NamespaceDriver driver = mock(NamespaceDriver.class);
        when(driver.name()).thenReturn("stub");
        when(driver.apiVersion()).thenReturn(ZonedevApi.VERSION);
        when(driver.supports(any())).thenReturn(true);
        when(driver.bind(any(), any())).thenReturn(bound);
        try (Platform platform =
                new Platform(
                        Engine.create(
                                EngineConfig.defaults()
                                        .withMaxPhysicalBytes(1L << 40)
                                        .withArchInstance(TestArch.huge())),
                        List.of(driver))) {
            platform.create(NamespaceSpec.of("ns", 64L << 20, NamespaceMode.RAW));
            ZoneDeviceException e =
                    assertThrows(ZoneDeviceException.class, () -> platform.destroy("ns"));
            assertEquals(ErrorCode.INTERRUPTED, e.code());
            assertTrue(platform.namespace("ns").enabled(), "still bound: the teardown is not done");
            platform.destroy("ns");
            verify(bound, times(2)).close();
            assertEquals(List.of(), platform.namespaces());
        }
    }
}
