package dev.zonedev.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zonedev.cli.Zonedev;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every scenario file under {@code scenarios/} through {@code zonedev run}, each in a fresh
 * data directory: every step's outcome must match what the file expects, and every step must print
 * exactly one JSON result.
 */
class ScenarioFilesTest {
    @TempDir Path dataRoot;

    @TestFactory
    Stream<DynamicTest> everyScenarioPasses() throws IOException, URISyntaxException {
        Path dir = Path.of(ScenarioFilesTest.class.getResource("/scenarios").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "scenario files in " + dir);
        return files.stream()
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    private void run(Path scenario) throws IOException {
        Path data =
                Files.createDirectory(
                        dataRoot.resolve(scenario.getFileName().toString().replace(".yaml", "")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Zonedev.execute(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "run",
                        scenario.toString(),
                        "--data-dir",
                        data.toString());
        String report = "exit " + code + "\n" + out + "\n" + err;
        long steps =
                Files.readAllLines(scenario).stream().filter(l -> l.startsWith("  - ")).count();
        List<JsonNode> results = out.toString().lines().map(ScenarioFilesTest::json).toList();
        assertEquals(steps, results.size(), "one JSON result per step\n" + report);
        for (JsonNode r : results) {
            assertTrue(
                    r.get("ok").asBoolean(), "step failed its expectation: " + r + "\n" + report);
        }
        assertEquals(0, code, report);
        assertTrue(err.toString().contains(results.size() + " passed, 0 failed"), report);
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
