package dev.zonedev.driver.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.pfn.InfoBlockKind;
import dev.zonedev.api.pfn.InfoBlockStore;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.api.testing.Fixtures;
import dev.zonedev.api.testing.TestNamespace;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PmemPersistenceTest {
    @TempDir Path dir;

    @Test
    void dataWrittenThroughTheKernelAddressSurvivesCloseAndRebind() throws IOException {
        Path file = dir.resolve("ns.img");
        byte[] payload = "written through the kernel address".getBytes(StandardCharsets.UTF_8);
        long pos = 3 * Pages.PAGE_SIZE + 5;
        PfnInfoBlock written;
        try (Arena arena = Arena.ofShared()) {
            TestNamespace ns =
                    Fixtures.file(
                            arena, file, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of("map", "dev"));
            try (PmemNamespace bound =
                    (PmemNamespace)
                            new PmemDriver().bind(ns, Fixtures.context(mock(DevPagemap.class)))) {
                written = bound.infoBlock().orElseThrow();
                new FsDax(bound.device(), false).write(pos, payload);
            }
        }
        // on storage: read the file itself, not the mapping
        byte[] raw = Files.readAllBytes(file);
        byte[] onDisk =
                java.util.Arrays.copyOfRange(
                        raw,
                        (int) (written.dataOffset() + pos),
                        (int) (written.dataOffset() + pos) + payload.length);
        assertArrayEquals(payload, onDisk);

        try (Arena arena = Arena.ofShared()) {
            TestNamespace ns =
                    Fixtures.file(arena, file, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of());
            try (PmemNamespace bound =
                    (PmemNamespace)
                            new PmemDriver().bind(ns, Fixtures.context(mock(DevPagemap.class)))) {
                assertEquals(written, bound.infoBlock().orElseThrow());
                assertArrayEquals(
                        payload, new FsDax(bound.device(), false).read(pos, payload.length));
            }
        }
    }

    @Test
    void switchingToDevdaxWithRelabelKeepsTheDataAndOnlyRewritesTheBlock() {
        Path file = dir.resolve("switch.img");
        byte[] payload = "kept across the switch".getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofShared()) {
            TestNamespace ns =
                    Fixtures.file(arena, file, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of());
            PfnInfoBlock fsdax;
            try (PmemNamespace bound =
                    (PmemNamespace)
                            new PmemDriver().bind(ns, Fixtures.context(mock(DevPagemap.class)))) {
                fsdax = bound.infoBlock().orElseThrow();
                new FsDax(bound.device(), false).write(0, payload);
            }
            byte[] before = Fixtures.bytes(ns.memory());
            PfnInfoBlock devdax =
                    InfoBlockStore.probeOrCreate(
                            ns.withMode(NamespaceMode.DEVDAX)
                                    .withOptions(Map.of("relabel", "true")),
                            InfoBlockKind.DEVDAX);
            assertEquals(InfoBlockKind.DEVDAX, devdax.kind());
            assertEquals(fsdax.uuid(), devdax.uuid());
            assertEquals(fsdax.dataOffset(), devdax.dataOffset());
            byte[] after = Fixtures.bytes(ns.memory());
            for (int i = 0; i < before.length; i++) {
                if (before[i] != after[i]) {
                    assertTrue(
                            i >= PfnInfoBlock.OFFSET && i < PfnInfoBlock.OFFSET + PfnInfoBlock.SIZE,
                            "byte " + i + " outside the info block changed");
                }
            }
        }
    }
}
