package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The warm-up parts a run asks for: the file-backed add always, the rest from its namespaces and
 * page writer.
 */
class WarmUpPartsTest {
    private static final EngineConfig FIELDS = EngineConfig.defaults();

    @Test
    void everyRunWarmsTheFileBackedAddAndARamNamespaceNothingMore() {
        assertEquals(
                Set.of(EngineWarmUp.Part.FILE_BACKED),
                EngineWarmUp.Part.of(
                        FIELDS, List.of(NamespaceSpec.of("a", 1L << 30, NamespaceMode.FSDAX))));
    }

    @Test
    void aFileOrADevMapNeedsTheFileBackedPath() {
        NamespaceSpec file =
                new NamespaceSpec(
                        "f",
                        1L << 30,
                        NamespaceMode.FSDAX,
                        NamespaceSpec.DEFAULT_ALIGN,
                        Optional.of(Path.of("f.img")),
                        0,
                        Map.of());
        NamespaceSpec dev =
                NamespaceSpec.of("d", 1L << 30, NamespaceMode.FSDAX).withOption("map", "dev");
        assertEquals(
                Set.of(EngineWarmUp.Part.FILE_BACKED), EngineWarmUp.Part.of(FIELDS, List.of(file)));
        assertEquals(
                Set.of(EngineWarmUp.Part.FILE_BACKED), EngineWarmUp.Part.of(FIELDS, List.of(dev)));
    }

    @Test
    void devdaxNeedsCompoundPagesUnlessAlignedTo4K() {
        NamespaceSpec huge = NamespaceSpec.of("h", 1L << 30, NamespaceMode.DEVDAX);
        NamespaceSpec small =
                new NamespaceSpec(
                        "s",
                        1L << 30,
                        NamespaceMode.DEVDAX,
                        Pages.PAGE_SIZE,
                        Optional.empty(),
                        0,
                        Map.of());
        assertEquals(
                Set.of(EngineWarmUp.Part.FILE_BACKED, EngineWarmUp.Part.COMPOUND),
                EngineWarmUp.Part.of(FIELDS, List.of(huge)));
        assertEquals(
                Set.of(EngineWarmUp.Part.FILE_BACKED),
                EngineWarmUp.Part.of(FIELDS, List.of(small)));
    }

    @Test
    void theTemplateWriterIsWarmedOnlyWhenPicked() {
        assertEquals(
                Set.of(EngineWarmUp.Part.FILE_BACKED, EngineWarmUp.Part.TEMPLATE),
                EngineWarmUp.Part.of(FIELDS.withPageInit(PageInit.TEMPLATE), List.of()));
        assertEquals(
                Set.of(EngineWarmUp.Part.FILE_BACKED), EngineWarmUp.Part.of(FIELDS, List.of()));
    }
}
