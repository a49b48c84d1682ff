package dev.zonedev.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zonedev.api.Pages;
import dev.zonedev.core.BenchAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(pages * 64, 64);
            long flags = BenchAccess.baseFlags(0);
            ReferenceLoop.write(memory, 0, firstPfn, firstPfn + pages, flags, 15, 7);
            MemorySegment asMemmap =
                    MemorySegment.ofAddress(memory.address() - (firstPfn << 6))
                            .reinterpret((firstPfn + pages) << 6);
            for (long pfn = firstPfn; pfn < firstPfn + pages; pfn++) {
                assertTrue(BenchAccess.matches(asMemmap, pfn, flags, 15, 7), "pfn " + pfn);
            }
        }
    }
}
