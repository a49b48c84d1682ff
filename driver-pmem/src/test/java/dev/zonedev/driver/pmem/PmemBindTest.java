package dev.zonedev.driver.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

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
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class PmemBindTest {
    private final Arena arena = Arena.ofShared();
    private final DevPagemap pagemap = mock(DevPagemap.class);
    private final DriverContext context = Fixtures.context(pagemap);
    private final PmemDriver driver = new PmemDriver();

    @AfterEach
    void closeArena() {
        arena.close();
    }

    @Test
    void serviceLoaderFindsThePmemDriver() {
        assertTrue(
                ServiceLoader.load(NamespaceDriver.class).stream()
                        .anyMatch(p -> p.type() == PmemDriver.class));
        assertEquals("pmem", driver.name());
    }

    @Test
    void supportsRawAndFsdaxOnly() {
        assertTrue(
                driver.supports(
                        Fixtures.anonymous(arena, NamespaceMode.RAW, Fixtures.SIZE, Map.of())));
        assertTrue(
                driver.supports(
                        Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of())));
        TestNamespace devdax =
                Fixtures.anonymous(arena, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of());
        assertFalse(driver.supports(devdax));
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> driver.bind(devdax, context)).code());
    }

    @Test
    void fsdaxMapMemWritesAnInfoBlockAndRegistersTheWholeRangeAsync() {
        TestNamespace ns = Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of());
        try (PmemNamespace bound = (PmemNamespace) driver.bind(ns, context)) {
            ArgumentCaptor<PagemapRequest> request = ArgumentCaptor.forClass(PagemapRequest.class);
            verify(context).memremapPages(request.capture());
            assertEquals(ns.range(), request.getValue().range());
            assertTrue(request.getValue().async());
            assertTrue(request.getValue().altmap().isEmpty());

            PfnInfoBlock onMedia =
                    PfnInfoBlock.decode(
                            ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE), "t");
            assertEquals(bound.infoBlock().orElseThrow(), onMedia);
            assertEquals(InfoBlockKind.FSDAX, onMedia.kind());
            assertEquals(MapLocation.MEM, onMedia.map());
            assertEquals(Pages.PMD_SIZE, onMedia.dataOffset());
            assertEquals(Fixtures.SIZE, onMedia.namespaceSize());
            assertEquals("pmem0", bound.device().name());
            assertEquals(onMedia.npfns(), bound.device().nrPages());
            assertEquals(1, bound.daxDevices().size());
            assertTrue(bound.memmapControl().isPresent());
        }
        verify(pagemap).close();
    }

    @Test
    void fsdaxMapDevAsksForAnAltmapEndingAtTheDataOffset() {
        TestNamespace ns =
                Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of("map", "dev"));
        try (PmemNamespace bound = (PmemNamespace) driver.bind(ns, context)) {
            ArgumentCaptor<PagemapRequest> request = ArgumentCaptor.forClass(PagemapRequest.class);
            verify(context).memremapPages(request.capture());
            var altmap = request.getValue().altmap().orElseThrow();
            PfnInfoBlock block = bound.infoBlock().orElseThrow();
            assertEquals(MapLocation.DEV, block.map());
            assertEquals(ns.range().startPfn(), altmap.basePfn());
            assertEquals(PfnInfoBlock.RESERVE / Pages.PAGE_SIZE, altmap.reserve());
            assertEquals(block.dataOffset() / Pages.PAGE_SIZE, altmap.offset());
            assertTrue(altmap.free() * Pages.PAGE_SIZE >= Pages.memmapBytes(ns.range().nrPages()));
        }
    }

    @Test
    void rebindReprobesTheSameBlockAndWritesNothing() {
        TestNamespace ns =
                Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of("map", "dev"));
        PfnInfoBlock first;
        try (PmemNamespace bound = (PmemNamespace) driver.bind(ns, context)) {
            first = bound.infoBlock().orElseThrow();
        }
        byte[] before = Fixtures.bytes(ns.memory());
        try (PmemNamespace again = (PmemNamespace) driver.bind(ns.withOptions(Map.of()), context)) {
            assertEquals(first, again.infoBlock().orElseThrow());
        }
        assertTrue(java.util.Arrays.equals(before, Fixtures.bytes(ns.memory())));
    }

    @Test
    void optionsThatDisagreeWithTheBlockAreRefusedAndNothingIsWritten() {
        TestNamespace ns =
                Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of("map", "mem"));
        driver.bind(ns, context).close();
        byte[] before = Fixtures.bytes(ns.memory());

        ZoneDeviceException map =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> driver.bind(ns.withOptions(Map.of("map", "dev")), context));
        assertEquals(ErrorCode.INVALID, map.code());
        assertTrue(
                map.getMessage().contains("map=dev disagrees")
                        && map.getMessage().contains("accepted: map=mem"),
                map.getMessage());

        ZoneDeviceException align =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> driver.bind(ns.withAlign(Pages.PAGE_SIZE), context));
        assertEquals(ErrorCode.INVALID, align.code());
        assertTrue(align.getMessage().contains("accepted: " + Pages.PMD_SIZE), align.getMessage());

        ZoneDeviceException uuid =
                assertThrows(
                        ZoneDeviceException.class,
                        () ->
                                driver.bind(
                                        ns.withOptions(
                                                Map.of(
                                                        "uuid",
                                                        "00000000-0000-0000-0000-000000000001")),
                                        context));
        assertEquals(ErrorCode.INVALID, uuid.code());

        assertTrue(java.util.Arrays.equals(before, Fixtures.bytes(ns.memory())));
        verify(context, times(1)).memremapPages(any());
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsWritten() {
        TestNamespace ns =
                Fixtures.anonymous(
                        arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of("map", "disk"));
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> driver.bind(ns, context));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("accepted: map=mem (default), map=dev"), e.getMessage());
        ZoneDeviceException bb =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> driver.bind(ns.withOptions(Map.of("badblocks", "oops")), context));
        assertEquals(ErrorCode.INVALID, bb.code());
        assertTrue(
                PfnInfoBlock.isBlank(ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE)));
        verify(context, never()).memremapPages(any());
    }

    @Test
    void unsupportedAlignmentIsRefusedListingTheAcceptedOnes() {
        TestNamespace ns =
                Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of())
                        .withAlign(65536);
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> driver.bind(ns, context));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(
                e.getMessage().contains("4096 (4K), 2097152 (2M), 1073741824 (1G)"),
                e.getMessage());
    }

    @Test
    void aFailedPagemapLeavesTheBlockWrittenButNoDevice() {
        DriverContext failing = mock(DriverContext.class);
        when(failing.memremapPages(any())).thenThrow(ZoneDeviceException.outOfMemory("no memmap"));
        TestNamespace ns = Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of());
        assertEquals(
                ErrorCode.OUT_OF_MEMORY,
                assertThrows(ZoneDeviceException.class, () -> driver.bind(ns, failing)).code());
        // the block is valid and is re-probed next time
        try (PmemNamespace bound = (PmemNamespace) driver.bind(ns, context)) {
            assertInstanceOf(PmemDevice.class, bound.daxDevices().getFirst());
        }
    }

    @Test
    void aPagemapThatStartsAfterTheDataIsClosedAndRefused() {
        when(pagemap.firstDevicePfn()).thenReturn(Long.MAX_VALUE);
        TestNamespace ns = Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of());
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> driver.bind(ns, context)).code());
        verify(pagemap).close();
    }

    @Test
    void deviceNamesFollowLibnvdimm() {
        MemorySegment m = arena.allocate(Fixtures.SIZE, Pages.PAGE_SIZE);
        TestNamespace ns =
                new TestNamespace(
                        "namespace3.2",
                        NamespaceMode.RAW,
                        new dev.zonedev.api.PhysicalRange(Fixtures.START, Fixtures.SIZE),
                        0,
                        Pages.PMD_SIZE,
                        m,
                        false,
                        Map.of());
        assertEquals("pmem3.2", PmemDriver.deviceName(ns));
    }
}
