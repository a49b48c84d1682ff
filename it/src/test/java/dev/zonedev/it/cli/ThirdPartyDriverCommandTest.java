package dev.zonedev.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zonedev.cli.Zonedev;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The third-party example driver ({@code ScratchDriver}, on the class path, chosen with {@code
 * driver=scratch}) through {@code zonedev boot}: it gets the workload of faults with a pfn (through
 * its {@code api.PageFaults}), the audit and the report a shipped driver gets. Its scenario is
 * {@code scenarios/third-party-driver.yaml}, run by {@link ScenarioFilesTest}.
 */
class ThirdPartyDriverCommandTest {
    @Test
    void bootRunsAWorkloadOfFaultsOnItAndVerifiesItLikeAShippedDriver() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Zonedev.execute(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "boot",
                        "--workers",
                        "2",
                        "--ranges-per-worker",
                        "4",
                        "--namespace",
                        "s0:size=64M,align=2M,driver=scratch",
                        "--namespace",
                        "namespace1.0:size=64M,mode=devdax,align=2M",
                        "--workload",
                        "pattern=sequential,count=32,threads=2",
                        "--verify",
                        "--json",
                        "--no-progress");
        String report = "exit " + code + "\n" + out + "\n" + err;
        assertEquals(0, code, report);
        JsonNode namespaces = new ObjectMapper().readTree(out.toString()).get("namespaces");
        JsonNode scratch = namespaces.get(0);
        JsonNode shipped = namespaces.get(1);
        assertEquals("s0", scratch.get("name").asText(), report);
        assertEquals("scratch-s0", scratch.get("device").asText(), report);
        assertEquals("mem", scratch.get("map").asText(), report);
        assertEquals(32, scratch.get("faults").asLong(), report);
        assertEquals(0, scratch.get("faultErrors").asLong(), report);
        assertEquals(32, scratch.get("firstPfnLatencyMs").get("samples").asLong(), report);
        assertTrue(scratch.get("verify").get("ok").asBoolean(), report);
        assertEquals(
                scratch.get("pages").asLong(),
                scratch.get("verify").get("pagesChecked").asLong(),
                report);
        assertEquals(
                fields(shipped),
                fields(scratch),
                "the same report as the shipped devdax namespace\n" + report);
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
