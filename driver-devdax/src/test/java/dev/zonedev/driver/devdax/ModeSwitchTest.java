package dev.zonedev.driver.devdax;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.InfoBlockKind;
import dev.zonedev.api.pfn.MapLocation;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.api.testing.Fixtures;
import dev.zonedev.api.testing.TestNamespace;
import dev.zonedev.driver.pmem.FsDax;
import dev.zonedev.driver.pmem.PmemDriver;
import dev.zonedev.driver.pmem.PmemNamespace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both drivers share the api's pfn info block: a namespace switches between fsdax and devdax
 * keeping its data.
 */
class ModeSwitchTest {
    @TempDir Path dir;

    @Test
    void fsdaxToDevdaxAndBackKeepsTheDataAcrossRestarts() {
        Path file = dir.resolve("ns.img");
        byte[] payload = "fsdax wrote this".getBytes(StandardCharsets.UTF_8);
        long dataOffset;

        // 1. fsdax: write through the filesystem helpers, then shut down
        try (Arena arena = Arena.ofShared()) {
            TestNamespace ns =
                    Fixtures.file(
                            arena, file, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of("map", "dev"));
            try (PmemNamespace pmem =
                    (PmemNamespace)
                            new PmemDriver().bind(ns, Fixtures.context(mock(DevPagemap.class)))) {
                dataOffset = pmem.infoBlock().orElseThrow().dataOffset();
                new FsDax(pmem.device(), false).write(Pages.PMD_SIZE + 5, payload);
            }
        }

        // 2. devdax without relabel: refused, untouched; with relabel: same data offset, data
        // readable
        try (Arena arena = Arena.ofShared()) {
            TestNamespace ns =
                    Fixtures.file(arena, file, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of());
            byte[] before = Fixtures.bytes(ns.memory());
            ZoneDeviceException busy =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    new DevDaxDriver()
                                            .bind(ns, Fixtures.context(mock(DevPagemap.class))));
            assertEquals(ErrorCode.BUSY, busy.code());
            assertTrue(busy.getMessage().contains("relabel=true"), busy.getMessage());
            assertArrayEquals(before, Fixtures.bytes(ns.memory()));

            TestNamespace relabel = ns.withOptions(Map.of("relabel", "true"));
            try (DevDaxNamespace dax =
                    (DevDaxNamespace)
                            new DevDaxDriver()
                                    .bind(relabel, Fixtures.context(mock(DevPagemap.class)))) {
                assertEquals(InfoBlockKind.DEVDAX, dax.infoBlock().kind());
                assertEquals(MapLocation.DEV, dax.infoBlock().map());
                assertEquals(dataOffset, dax.infoBlock().dataOffset());
                DevDaxDevice device = dax.region().devices().getFirst();
                MemorySegment page =
                        device.directAccess(Pages.PMD_SIZE / Pages.PAGE_SIZE, 1, false)
                                .kernelAddress();
                assertArrayEquals(
                        payload, page.asSlice(5, payload.length).toArray(ValueLayout.JAVA_BYTE));
                // devdax writes too
                page.asSlice(100, 3).copyFrom(MemorySegment.ofArray(new byte[] {9, 8, 7}));
            }
            byte[] after = Fixtures.bytes(ns.memory());
            for (int i = 0; i < before.length; i++) {
                if (before[i] != after[i]
                        && !(i >= dataOffset + Pages.PMD_SIZE + 100
                                && i < dataOffset + Pages.PMD_SIZE + 103)) {
                    assertTrue(
                            i >= PfnInfoBlock.OFFSET && i < PfnInfoBlock.OFFSET + PfnInfoBlock.SIZE,
                            "byte " + i + " outside the info block changed");
                }
            }
        }

        // 3. restart as devdax (now labelled so): data still there
        try (Arena arena = Arena.ofShared()) {
            TestNamespace ns =
                    Fixtures.file(arena, file, NamespaceMode.DEVDAX, Fixtures.SIZE, Map.of());
            try (DevDaxNamespace dax =
                    (DevDaxNamespace)
                            new DevDaxDriver().bind(ns, Fixtures.context(mock(DevPagemap.class)))) {
                MemorySegment page =
                        dax.region()
                                .devices()
                                .getFirst()
                                .directAccess(Pages.PMD_SIZE / Pages.PAGE_SIZE, 1, false)
                                .kernelAddress();
                assertArrayEquals(
                        payload, page.asSlice(5, payload.length).toArray(ValueLayout.JAVA_BYTE));
            }
        }

        // 4. back to fsdax with relabel: both writes readable through the pmem driver
        try (Arena arena = Arena.ofShared()) {
            TestNamespace ns =
                    Fixtures.file(
                            arena,
                            file,
                            NamespaceMode.FSDAX,
                            Fixtures.SIZE,
                            Map.of("relabel", "true"));
            try (PmemNamespace pmem =
                    (PmemNamespace)
                            new PmemDriver().bind(ns, Fixtures.context(mock(DevPagemap.class)))) {
                FsDax fs = new FsDax(pmem.device(), false);
                assertArrayEquals(payload, fs.read(Pages.PMD_SIZE + 5, payload.length));
                assertArrayEquals(new byte[] {9, 8, 7}, fs.read(Pages.PMD_SIZE + 100, 3));
            }
        }
    }
}
