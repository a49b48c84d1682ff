package dev.zonedev.driver.devdax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.InfoBlockKind;
import dev.zonedev.api.pfn.MapLocation;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.api.testing.Fixtures;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class DevDaxBindTest {
    private final Arena arena = Arena.ofShared();
    private final DevPagemap pagemap = mock(DevPagemap.class);
    private final DriverContext context = Fixtures.context(pagemap);
    private final DevDaxDriver driver = new DevDaxDriver();

    @AfterEach
    void closeArena() {
        arena.close();
    }

    @Test
    void serviceLoaderFindsTheDevdaxDriver() {
        assertTrue(
                ServiceLoader.load(NamespaceDriver.class).stream()
                        .anyMatch(p -> p.type() == DevDaxDriver.class));
        assertEquals("devdax", driver.name());
    }

    @Test
    void supportsDevdaxOnly() {
        assertTrue(
                driver.supports(
                        Fixtures.anonymous(arena, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of())));
        TestNamespace fsdax =
                Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of());
        assertFalse(driver.supports(fsdax));
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> driver.bind(fsdax, context)).code());
    }

    @Test
    void alignmentMustBe4k2mOr1g() {
        for (long bad : new long[] {8192, 65536, 1L << 22, 1L << 29}) {
            TestNamespace ns =
                    Fixtures.anonymous(arena, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of())
                            .withAlign(bad);
            ZoneDeviceException e =
                    assertThrows(ZoneDeviceException.class, () -> driver.bind(ns, context));
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(
                    e.getMessage().contains("accepted: 4096 (4K), 2097152 (2M), 1073741824 (1G)"),
                    e.getMessage());
            assertTrue(
                    PfnInfoBlock.isBlank(
                            ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE)));
        }
        verify(context, never()).memremapPages(any());
    }

    @Test
    void bindWritesADaxInfoBlockAndOneDeviceCoveringTheRegion() {
        TestNamespace ns = Fixtures.anonymous(arena, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of());
        try (DevDaxNamespace bound = (DevDaxNamespace) driver.bind(ns, context)) {
            ArgumentCaptor<PagemapRequest> request = ArgumentCaptor.forClass(PagemapRequest.class);
            verify(context).memremapPages(request.capture());
            assertEquals(ns.range(), request.getValue().range());
            assertTrue(request.getValue().async());
            assertTrue(request.getValue().altmap().isEmpty());

            PfnInfoBlock block =
                    PfnInfoBlock.decode(
                            ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE), "t");
            assertEquals(InfoBlockKind.DEVDAX, block.kind());
            assertEquals(bound.infoBlock(), block);
            DaxRegion region = bound.region();
            assertEquals(ns.range().start() + block.dataOffset(), region.physStart());
            assertEquals(0, region.physStart() % Pages.PMD_SIZE);
            assertEquals(1, bound.daxDevices().size());
            DevDaxDevice dax = region.devices().getFirst();
            assertEquals("dax0.0", dax.name());
            assertEquals(region.size(), dax.size());
            assertEquals(0, region.largestFree());
        }
        verify(pagemap).close();
    }

    @Test
    void mapDevAsksForAnAltmapEndingAtTheRegion() {
        TestNamespace ns =
                Fixtures.anonymous(
                        arena, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of("map", "dev"));
        try (DevDaxNamespace bound = (DevDaxNamespace) driver.bind(ns, context)) {
            ArgumentCaptor<PagemapRequest> request = ArgumentCaptor.forClass(PagemapRequest.class);
            verify(context).memremapPages(request.capture());
            var altmap = request.getValue().altmap().orElseThrow();
            assertEquals(2, altmap.reserve());
            assertEquals(bound.infoBlock().dataOffset() / Pages.PAGE_SIZE, altmap.offset());
            assertEquals(MapLocation.DEV, bound.infoBlock().map());
        }
    }

    @Test
    void devicesOptionCarvesSeveralDevicesAndTheRegionCanMakeMore() {
        TestNamespace ns =
                Fixtures.anonymous(
                        arena, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of("devices", "8M,4M"));
        try (DevDaxNamespace bound = (DevDaxNamespace) driver.bind(ns, context)) {
            DaxRegion region = bound.region();
            List<DevDaxDevice> devices = region.devices();
            assertEquals(
                    List.of("dax0.0", "dax0.0.1"),
                    devices.stream().map(DevDaxDevice::name).toList());
            assertEquals(0, devices.get(0).regionOffset());
            assertEquals(8 * Fixtures.MiB, devices.get(1).regionOffset());

            DevDaxDevice third = region.createDevice(2 * Fixtures.MiB);
            assertEquals(12 * Fixtures.MiB, third.regionOffset());
            assertEquals(3, bound.daxDevices().size());

            ZoneDeviceException misaligned =
                    assertThrows(
                            ZoneDeviceException.class, () -> region.createDevice(Fixtures.MiB));
            assertEquals(ErrorCode.INVALID, misaligned.code());
            ZoneDeviceException tooBig =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    region.createDevice(
                                            region.size() * 2 / Pages.PMD_SIZE * Pages.PMD_SIZE));
            assertEquals(ErrorCode.OUT_OF_RANGE, tooBig.code());
            assertTrue(
                    tooBig.getMessage().contains("accepted: up to " + region.largestFree()),
                    tooBig.getMessage());

            DevDaxDevice first = devices.get(0);
            region.destroyDevice("dax0.0");
            assertFalse(first.enabled());
            DevDaxDevice reused = region.createDevice(8 * Fixtures.MiB);
            assertEquals(0, reused.regionOffset());
            assertEquals(
                    ErrorCode.NO_DEVICE,
                    assertThrows(ZoneDeviceException.class, () -> region.destroyDevice("dax9.9"))
                            .code());
        }
    }

    @Test
    void badDevicesOptionIsRefusedBeforeAnythingIsWritten() {
        for (String bad : new String[] {"3M", "x", "0", "-2M"}) {
            TestNamespace ns =
                    Fixtures.anonymous(
                            arena, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of("devices", bad));
            assertEquals(
                    ErrorCode.INVALID,
                    assertThrows(ZoneDeviceException.class, () -> driver.bind(ns, context)).code(),
                    bad);
            assertTrue(
                    PfnInfoBlock.isBlank(
                            ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE)));
        }
    }

    @Test
    void corruptBlocksAreRefusedAndTheNamespaceIsUntouched() {
        TestNamespace ns = Fixtures.anonymous(arena, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of());
        driver.bind(ns, context).close();
        var page = ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE);
        page.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 70, (byte) 0x33);
        byte[] before = Fixtures.bytes(ns.memory());
        DriverContext fresh = mock(DriverContext.class);
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> driver.bind(ns, fresh));
        assertEquals(ErrorCode.IO_ERROR, e.code());
        assertTrue(java.util.Arrays.equals(before, Fixtures.bytes(ns.memory())));
        verify(fresh, never()).memremapPages(any());
    }

    @Test
    void deviceNamesFollowTheNamespace() {
        TestNamespace ns =
                new TestNamespace(
                        "namespace2.1",
                        NamespaceMode.DEVDAX,
                        new dev.zonedev.api.PhysicalRange(Fixtures.START, Fixtures.SIZE),
                        0,
                        Pages.PMD_SIZE,
                        arena.allocate(Fixtures.SIZE, Pages.PAGE_SIZE),
                        false,
                        Map.of());
        assertEquals("dax2.1", DevDaxDriver.deviceName(ns));
    }
}
