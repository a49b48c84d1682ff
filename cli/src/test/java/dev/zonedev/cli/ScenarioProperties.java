package dev.zonedev.cli;

import static dev.zonedev.api.testing.Gens.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zonedev.api.testing.Gens;
import dev.zonedev.api.testing.Props;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of the scenario parser ({@link Scenario}): any tree of steps, arguments and values
 * built from the scenario vocabulary, and any YAML text, is either a checked scenario or a usage
 * error naming the step; never another exception, never a hang.
 */
class ScenarioProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;

    @BeforeAll
    static void makeDataDir() throws IOException {
        dir = Files.createTempDirectory("zonedev-scenario-props");
    }

    @AfterAll
    static void removeDataDir() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Scenario parse(Object tree) {
        JsonNode root = JSON.valueToTree(tree);
        return Scenario.parse(root, "props.yaml", dir, ScenarioProperties.class.getClassLoader());
    }

    @Test
    void anyTreeOfStepsIsCheckedOrAUsageErrorNamingTheStep() {
        Props.check(
                1200,
                scenarios(),
                ScenarioProperties::anyTreeOfStepsIsCheckedOrAUsageErrorNamingTheStep);
    }

    private static void anyTreeOfStepsIsCheckedOrAUsageErrorNamingTheStep(Object tree) {
        Scenario s;
        try {
            s = parse(tree);
        } catch (UsageException e) {
            assertTrue(e.getMessage().matches("(?s)(step \\d+|scenario)\\b.*"), e.getMessage());
            return;
        }
        assertTrue(!s.steps().isEmpty());
        for (int i = 0; i < s.steps().size(); i++) {
            assertEquals(i + 1, s.steps().get(i).number());
            assertTrue(Scenario.ACTIONS.containsKey(s.steps().get(i).action().action()));
        }
    }

    /**
     * A wait's timeout is read when it is 0 to 86400 s (ms or s), and refused otherwise: never
     * wrapped or negative.
     */
    @Test
    void aTimeoutIsReadOnlyInsideItsRange() {
        Props.check(800, timeouts(), ScenarioProperties::aTimeoutIsReadOnlyInsideItsRange);
    }

    private static void aTimeoutIsReadOnlyInsideItsRange(String timeout) {
        Map<String, Object> step = Map.of("wait", Map.of("timeout", timeout));
        long ms = millisOf(timeout);
        if (ms >= 0 && ms <= 86_400_000L) {
            assertEquals(1, parse(List.of(step)).steps().size());
        } else {
            UsageException e =
                    assertThrows(UsageException.class, () -> parse(List.of(step)), timeout);
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
        }
    }

    /**
     * The value a timeout text means, exactly, or -1 when it means none (BigInteger, so nothing
     * wraps).
     */
    private static long millisOf(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        java.math.BigInteger unit = java.math.BigInteger.valueOf(1000);
        if (t.endsWith("ms")) {
            t = t.substring(0, t.length() - 2);
            unit = java.math.BigInteger.ONE;
        } else if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        }
        if (!t.matches("[0-9]+")) {
            return -1;
        }
        java.math.BigInteger ms = new java.math.BigInteger(t).multiply(unit);
        return ms.bitLength() < 63 ? ms.longValue() : -1;
    }

    @Test
    void anyYamlTextIsAScenarioOrAUsageError() {
        Props.check(300, yamlTexts(), ScenarioProperties::anyYamlTextIsAScenarioOrAUsageError);
    }

    private static void anyYamlTextIsAScenarioOrAUsageError(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("fuzz.yaml"), text);
        try {
            Scenario.load(file, dir, ScenarioProperties.class.getClassLoader());
        } catch (UsageException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }

    /**
     * Found by the tree property: a boot step's bad arch or engine setting did not name its step.
     */
    @Test
    void aBadBootStepNamesItsStep() {
        for (Map<String, Object> boot :
                List.of(
                        Map.<String, Object>of("arch", "sparc"),
                        Map.<String, Object>of("workers", 0),
                        Map.<String, Object>of(
                                "namespaces", List.of("a:size=32M", "a:size=64M")))) {
            UsageException e =
                    assertThrows(
                            UsageException.class,
                            () -> parse(List.of("hold", Map.of("boot", boot))));
            assertTrue(e.getMessage().startsWith("step 2 (boot): "), e.getMessage());
        }
    }

    /**
     * A key given twice anywhere in a scenario file is refused: YAML allows no duplicate keys, and
     * a silently dropped {@code expect:} or {@code offset:} would run another test than written.
     */
    @Test
    void aKeyGivenTwiceIsAUsageError() {
        Props.check(300, duplicated(), ScenarioProperties::aKeyGivenTwiceIsAUsageError);
    }

    private static void aKeyGivenTwiceIsAUsageError(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("dup.yaml"), yaml);
        UsageException e =
                assertThrows(
                        UsageException.class,
                        () -> Scenario.load(file, dir, ScenarioProperties.class.getClassLoader()),
                        yaml);
        assertTrue(e.getMessage().contains("Duplicate field"), e.getMessage());
    }

    private static Gen<String> duplicated() {
        return of(
                "steps:\n  - write: {namespace: n, offset: 4K, data: x}\n    expect: EIO\n    expect: success\n",
                "steps:\n  - access: {namespace: n, offset: 0, offset: 8K}\n",
                "name: a\nname: b\nsteps: [hold]\n",
                "steps: [hold]\nsteps: [release]\n",
                "steps:\n  - wait: {timeout: 1s, timeout: 2s}\n",
                "- verify: {sync: true, sync: false}\n");
    }

    /**
     * Found by reading after the properties: fill: "010" was octal 8 (Integer.decode), "#ff" and
     * "+1" were bytes too.
     */
    @Test
    void aFillByteIsDecimalOrHex() {
        for (String f : List.of("#ff", "+1", "0X", "-0x1", "0x100", "256", "1e2")) {
            UsageException e =
                    assertThrows(
                            UsageException.class,
                            () ->
                                    parse(
                                            List.of(
                                                    Map.of(
                                                            "write",
                                                            Map.of("namespace", "n", "fill", f)))),
                            f);
            assertTrue(
                    e.getMessage().contains("accepted: 0 to 255 or 0x00 to 0xff"), e.getMessage());
        }
        assertEquals(
                1,
                parse(List.of(Map.of("write", Map.of("namespace", "n", "fill", "010"))))
                        .steps()
                        .size());
        assertEquals(
                1,
                parse(List.of(Map.of("write", Map.of("namespace", "n", "fill", "0xfF"))))
                        .steps()
                        .size());
    }

    /**
     * Found by the timeout property: "-5s" was read as -5000 ms and a huge one wrapped negative.
     */
    @Test
    void aNegativeOrHugeTimeoutIsAUsageError() {
        for (String t : List.of("-5s", "-1ms", "9223372036854775807s", "86401s", "86400001ms")) {
            UsageException e =
                    assertThrows(
                            UsageException.class,
                            () -> parse(List.of(Map.of("wait", Map.of("timeout", t)))),
                            t);
            assertTrue(e.getMessage().contains("0 to 86400"), e.getMessage());
        }
        assertEquals(1, parse(List.of(Map.of("wait", Map.of("timeout", "86400s")))).steps().size());
    }

    /**
     * The scenario's own badblocks list read "16+8," as one run, the bug BadblocksProperties found
     * in badblocks=.
     */
    @Test
    void aBadblocksListWithAnEmptyEntryIsAUsageError() {
        for (String list : List.of("16+8,", ",16+8", "16+8,,32")) {
            assertThrows(
                    UsageException.class,
                    () ->
                            parse(
                                    List.of(
                                            Map.of(
                                                    "badblocks",
                                                    Map.of("namespace", "n", "add", list)))),
                    list);
        }
    }

    // ---- generators ---------------------------------------------------------------------

    private static Gen<Object> scenarios() {
        Gen<Object> steps = lists(step(), 0, 6).map(l -> (Object) new ArrayList<>(l));
        Gen<Object> named =
                steps.zip(
                        scalar(),
                        (l, n) -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("name", n);
                            m.put("steps", l);
                            return (Object) m;
                        });
        return weighted(
                6,
                steps,
                3,
                named,
                1,
                Gens.<Object>oneOf(scalar(), just(Map.of("stepz", List.of()))));
    }

    private static Gen<Object> step() {
        List<String> actions = new ArrayList<>(Scenario.ACTIONS.keySet());
        actions.add("bogus");
        Gen<String> action = of(actions);
        Gen<Object> asMap = action.flatMap(ScenarioProperties::stepAsMap);
        return weighted(2, action.map(a -> (Object) a), 7, asMap, 1, scalar());
    }

    private static Gen<Object> stepAsMap(String a) {
        Gen<Object> args = args(a);
        Gen<Optional<Object>> expects = optional(expect(), 5);
        Gen<Optional<Object>> names = optional(scalar(), 5);
        return in -> {
            Object arguments = args.generate(in);
            Optional<Object> e = expects.generate(in);
            Optional<Object> n = names.generate(in);
            Map<String, Object> m = new LinkedHashMap<>();
            n.ifPresent(v -> m.put("name", v));
            m.put(a, arguments);
            e.ifPresent(v -> m.put("expect", v));
            return m;
        };
    }

    private static Gen<Object> args(String action) {
        List<String> keys = new ArrayList<>(Scenario.ACTIONS.getOrDefault(action, List.of()));
        keys.add("extra");
        Gen<Map.Entry<String, Object>> entry =
                of(keys).flatMap(k -> value(k).map(v -> Map.entry(k, v)));
        Gen<Object> map =
                lists(entry, 0, 4)
                        .map(
                                l -> {
                                    Map<String, Object> m = new LinkedHashMap<>();
                                    l.forEach(e -> m.put(e.getKey(), e.getValue()));
                                    return (Object) m;
                                });
        Gen<Object> first = keys.size() > 1 ? value(keys.getFirst()) : scalar();
        return weighted(6, map, 3, first, 1, just(null));
    }

    private static Gen<Object> value(String key) {
        Gen<Object> typed =
                switch (key) {
                    case "offset", "size", "length" ->
                            oneOf(
                                    sizeText(),
                                    lists(sizeText(), 0, 3).map(l -> (Object) new ArrayList<>(l)));
                    case "workers", "rangesPerWorker", "skip", "nodes" ->
                            oneOf(
                                    ints(-2, 1100).map(i -> (Object) i),
                                    Gens.<Object>of(2147483648L, 1.5, "2"));
                    case "pfn", "sync", "reset" -> Gens.<Object>of(true, false, "true", "no", 1);
                    case "spec", "namespaces" ->
                            oneOf(
                                    specText(),
                                    lists(specText(), 0, 3).map(l -> (Object) new ArrayList<>(l)));
                    case "timeout" -> timeouts().map(t -> (Object) t);
                    case "level" ->
                            Gens.<Object>of(
                                    "pgd", "p4d", "pud", "pmd", "pte", "altmap", "PTE", "pxd");
                    case "fill" -> Gens.<Object>of("0", "255", "256", "0xff", "0x", "-1", "a", 7);
                    case "add", "clear" ->
                            Gens.<Object>of(
                                    "16+8",
                                    "0",
                                    "1+2,3+4",
                                    "x",
                                    "16+8,",
                                    "-1+2",
                                    "",
                                    "9223372036854775807+1");
                    case "read", "write", "via" ->
                            Gens.<Object>of(
                                    "active", "idle", "sync", "flush", "attribute", "jmx", "x");
                    case "arch" -> Gens.<Object>of("x86_64", "generic", "sparc", "");
                    case "pageInit" ->
                            Gens.<Object>of("fields", "template", "TEMPLATE", "memcpy", "", 1);
                    default -> scalar();
                };
        return weighted(8, typed, 1, scalar(), 1, just(Map.of("nested", List.of(1, 2))));
    }

    private static Gen<Object> sizeText() {
        return oneOf(
                Gens.<Object>of(
                        "0", "4K", "8K", "2M", "1G", "100", "-4K", "1.5K", "9999999999999999999"),
                longs(0, 1L << 31).map(n -> n * 4096).map(n -> (Object) n));
    }

    private static Gen<String> specText() {
        return of(
                "namespace0.0:size=32M",
                "n:size=32M,mode=devdax,align=2M",
                "n:size=3M",
                "x",
                "n:size=32M,file=a.img",
                "n:size=32M,driver=nobody",
                "n:size=32M,mode=raw,map=dev",
                "");
    }

    private static Gen<Object> expect() {
        return of(
                "success",
                "ok",
                "error",
                "EIO",
                "IO_ERROR",
                "enomem",
                "MISMATCH",
                "TIMEOUT",
                "nope",
                "",
                "AUDIT_FAILED");
    }

    private static Gen<Object> scalar() {
        return oneOf(
                strings(0, 8).map(s -> (Object) s),
                anyInt().map(i -> (Object) i),
                Gens.<Object>of(true, 1.25, "", "null"));
    }

    private static Gen<String> timeouts() {
        Gen<String> numbers =
                Gens.<Long>oneOf(longs(0, 100_000_000L), longs(-1000, -1), anyLong().map(Math::abs))
                        .map(n -> String.valueOf(n));
        return oneOf(
                numbers.zip(of("", "s", "ms", "S", "MS", " s", "m"), (n, u) -> n + u),
                of(
                        "9223372036854775807s",
                        "9223372036854775807ms",
                        "9223372036854776s",
                        "86400s",
                        "86401s",
                        "86400000ms",
                        "86400001ms",
                        "1.5s",
                        "s",
                        "ms",
                        "",
                        " 7s "));
    }

    /** YAML-ish text: random, made of YAML punctuation, deeply nested, and anchor bombs. */
    private static Gen<String> yamlTexts() {
        Gen<String> nested =
                ints(1, 1200)
                        .flatMap(
                                n ->
                                        of(
                                                "[".repeat(n) + "]".repeat(n),
                                                "{a: ".repeat(n) + "1" + "}".repeat(n),
                                                "- ".repeat(n) + "hold",
                                                "steps:\n"
                                                        + "  - ".repeat(Math.min(n, 200))
                                                        + "verify"));
        Gen<String> bomb =
                ints(1, 7)
                        .map(
                                n -> {
                                    StringBuilder b =
                                            new StringBuilder(
                                                    "a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
                                    for (int i = 1; i <= n; i++) {
                                        b.append("a")
                                                .append(i)
                                                .append(": &a")
                                                .append(i)
                                                .append(" [");
                                        for (int j = 0; j < 9; j++) {
                                            b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
                                        }
                                        b.append("]\n");
                                    }
                                    return b.append("steps: *a").append(n).append('\n').toString();
                                });
        return oneOf(
                strings(0, 60),
                strings("-:[]{}&*!|>'\"#%@` \n\tabsteps", 0, 60),
                nested,
                bomb,
                of(
                        "",
                        "---",
                        "steps:",
                        "steps: []",
                        "- hold\n- release",
                        "!!binary x",
                        "? a\n: b",
                        "steps: [hold, {wait: {timeout: -1s}}]"));
    }
}
