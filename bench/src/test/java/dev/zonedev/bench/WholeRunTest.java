package dev.zonedev.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the whole-run benchmark main working: a quick run on a tiny size writes every field. */
class WholeRunTest {
    private static final List<String> SIZE_FIELDS =
            List.of(
                    "/sizeGiB",
                    "/pages",
                    "/memmapBytes",
                    "/rounds",
                    "/wallSeconds",
                    "/addReturn/asyncX86_64Ms",
                    "/addReturn/syncGenericMs",
                    "/addReturn/asyncOverSync",
                    "/fullInit/engineMs/1",
                    "/fullInit/engineMs/2",
                    "/fullInit/engineNsPerPage/1",
                    "/fullInit/referenceFirstTouchMs/1",
                    "/fullInit/referenceFirstTouchMs/2",
                    "/fullInit/engineOverReference/1",
                    "/fullInit/engineOverReference/2",
                    "/fullInit/speedup2Over1",
                    "/reinit/engineLoopMs/1",
                    "/reinit/engineLoopNsPerPage/2",
                    "/reinit/warmReferenceMs/1",
                    "/reinit/warmReferenceNsPerPage/2",
                    "/reinit/engineOverReference/1",
                    "/reinit/engineOverReference/2",
                    "/firstPfnLatency/samples",
                    "/firstPfnLatency/allCoresBusy/workers",
                    "/firstPfnLatency/allCoresBusy/engineUs/p50",
                    "/firstPfnLatency/allCoresBusy/engineUs/p99",
                    "/firstPfnLatency/allCoresBusy/engineUs/max",
                    "/firstPfnLatency/allCoresBusy/pipelineUs/p99",
                    "/firstPfnLatency/allCoresBusy/p99EngineOverPipeline",
                    "/firstPfnLatency/coreLeftFree/workers",
                    "/firstPfnLatency/coreLeftFree/engineUs/p50",
                    "/firstPfnLatency/coreLeftFree/engineUs/p99",
                    "/firstPfnLatency/coreLeftFree/engineUs/max",
                    "/firstPfnLatency/coreLeftFree/pipelineUs/p99",
                    "/firstPfnLatency/coreLeftFree/p99EngineOverPipeline",
                    "/memory/memmapBytesPerPage",
                    "/memory/residentBytesPerPage",
                    "/memory/subRanges",
                    "/memory/subRangePages",
                    "/memory/bookkeepingBytes",
                    "/memory/bookkeepingBytesPerPage");

    @Test
    void quickRunWritesEveryField(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("figures.json");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        WholeRun.run(
                WholeRun.Options.parse(
                        "1",
                        "--quick",
                        "--rounds",
                        "1",
                        "--samples",
                        "4",
                        "--warmup",
                        "0.5",
                        "--json",
                        json.toString()),
                new PrintStream(text, true, StandardCharsets.UTF_8));

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        for (String f :
                List.of(
                        "/machine/cores",
                        "/machine/java",
                        "/options/sizesGiB",
                        "/options/rounds",
                        "/options/quick")) {
            assertFalse(root.at(f).isMissingNode(), f);
        }
        assertEquals(1, root.get("sizes").size());
        JsonNode size = root.get("sizes").get(0);
        for (String f : SIZE_FIELDS) {
            assertTrue(
                    size.at(f).isNumber(),
                    "sizes[0]" + f + " is missing or not a number: " + size.at(f));
        }
        assertEquals(64, size.at("/memory/memmapBytesPerPage").asInt());
        assertTrue(root.get("targets").size() >= 7);
        for (JsonNode t : root.get("targets")) {
            for (String f : List.of("target", "sizeGiB", "value", "limit", "comparison", "pass")) {
                assertTrue(t.has(f), "target " + t + " lacks " + f);
            }
        }
        String table = text.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("== targets =="), table);
        assertTrue(table.contains("PASS") || table.contains("MISS"), table);
    }

    @Test
    void referenceLoopWritesTheEngineBytes() {
        long pages = 3 * 1024;
        long firstPfn =
                Pages.pfn(1L << 40) - 1024; // crosses a section boundary (32768-page sections)
        try (Engine engine =
                        Engine.create(EngineConfig.defaults().withArch("x86_64").withWorkers(1));
                Arena arena = Arena.ofConfined()) {
            DevicePagemap p =
                    engine.memremapPages(
                            new PagemapRequest(
                                    new PhysicalRange(
                                            Pages.physAddr(firstPfn), pages * Pages.PAGE_SIZE),
                                    0,
                                    Optional.empty(),
                                    false));
            MemorySegment reference = arena.allocate(pages * 64, 64);
            ReferenceLoop.write(
                    reference,
                    0,
                    firstPfn,
                    firstPfn + pages,
                    ReferenceLoop.baseFlags(0),
                    15,
                    p.id());
            MemorySegment engineBytes =
                    engine.testing().memmap(p).asSlice(firstPfn << 6, pages * 64);
            assertEquals(-1L, engineBytes.mismatch(reference), "first differing byte");
        }
    }
}
