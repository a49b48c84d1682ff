package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three lists of the scenario language agree: the records of {@link ScenarioAction}, the
 * actions and arguments the parser accepts ({@link Scenario#ACTIONS}), and README's action table.
 * An action or argument added to one and not the others fails here.
 */
class ScenarioModelTest {
    /** A minimal valid argument for each action, to check what the parser makes of it. */
    private static final Map<String, Object> MINIMAL = minimal();

    @TempDir Path dir;

    private static Map<String, Object> minimal() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("create", "n:size=32M");
        m.put("destroy", "n");
        m.put("enable", "n");
        m.put("disable", "n");
        m.put("access", "n");
        m.put("fault", "n");
        m.put("write", Map.of("namespace", "n", "data", "x"));
        m.put("read", Map.of("namespace", "n", "data", "x"));
        m.put("badblocks", Map.of("namespace", "n", "add", "16+8"));
        m.put("inject", "pte");
        m.put("memmap_state", "n");
        return m;
    }

    @Test
    void theRecordsAreTheParsersActionsInOrder() {
        List<String> records =
                Arrays.stream(ScenarioAction.class.getPermittedSubclasses())
                        .map(ScenarioAction::nameOf)
                        .toList();
        assertEquals(List.copyOf(Scenario.ACTIONS.keySet()), records);
    }

    @Test
    void eachActionParsesToItsOwnRecord() {
        for (String action : Scenario.ACTIONS.keySet()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put(action, MINIMAL.get(action));
            Scenario s =
                    Scenario.parse(
                            new ObjectMapper().valueToTree(List.of(step)),
                            "model.yaml",
                            dir,
                            ScenarioModelTest.class.getClassLoader());
            ScenarioAction a = s.steps().getFirst().action();
            assertEquals(action, a.action(), a.toString());
            assertEquals(action, ScenarioAction.nameOf(a.getClass()));
        }
    }

    @Test
    void readmesActionTableListsExactlyTheModelsActionsAndArguments() throws IOException {
        Map<String, List<String>> table = readmeTable(Files.readString(readme()));
        assertFalse(table.isEmpty(), "no action table found in README.md");
        List<String> missing = new ArrayList<>(Scenario.ACTIONS.keySet());
        missing.removeAll(table.keySet());
        List<String> extra = new ArrayList<>(table.keySet());
        extra.removeAll(Scenario.ACTIONS.keySet());
        assertTrue(missing.isEmpty(), "actions missing from README's table: " + missing);
        assertTrue(
                extra.isEmpty(), "README's table lists actions the model does not have: " + extra);
        for (var e : Scenario.ACTIONS.entrySet()) {
            assertEquals(
                    e.getValue(),
                    table.get(e.getKey()),
                    "arguments of "
                            + e.getKey()
                            + " in README's table (in the order the parser takes them: the first is the scalar one)");
        }
    }

    /**
     * README's table, action to argument names: every {@code `name`} in a row's first cell is an
     * action; every {@code `arg`} or {@code `arg: ...`} in its second cell an argument, and {@code
     * none} means no arguments.
     */
    static Map<String, List<String>> readmeTable(String readme) {
        Map<String, List<String>> table = new LinkedHashMap<>();
        List<String> lines = readme.lines().toList();
        int start = lines.indexOf("| action | arguments | what it does |");
        if (start < 0) {
            return table;
        }
        Pattern code = Pattern.compile("`([^`]*)`");
        for (String line : lines.subList(start + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.replace("\\|", "/").split("\\|");
            List<String> args = new ArrayList<>();
            Matcher m = code.matcher(cells[2]);
            while (m.find()) {
                args.add(m.group(1).split(":")[0].strip());
            }
            assertTrue(
                    !args.isEmpty() || cells[2].strip().equals("none"),
                    "README row without arguments: " + line);
            Matcher a = code.matcher(cells[1]);
            while (a.find()) {
                assertTrue(
                        table.put(a.group(1), args) == null,
                        "README lists " + a.group(1) + " twice");
            }
        }
        return table;
    }

    private static Path readme() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("README.md"))) {
            p = p.getParent();
        }
        assertTrue(p != null, "README.md not found above " + Path.of("").toAbsolutePath());
        return p.resolve("README.md");
    }
}
