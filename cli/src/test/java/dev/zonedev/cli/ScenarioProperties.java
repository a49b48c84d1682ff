package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties of the scenario parser ({@link Scenario}): any tree of steps, arguments and
 * values built from the scenario vocabulary, and any YAML text, is either a checked scenario or
 * a usage error naming the step; never another exception, never a hang.
 */
class ScenarioProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;

    @BeforeContainer
    static void makeDataDir() throws IOException {
        dir = Files.createTempDirectory("zonedev-scenario-props");
    }

    @AfterContainer
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

    @Property(tries = 1200)
    void anyTreeOfStepsIsCheckedOrAUsageErrorNamingTheStep(@ForAll("scenarios") Object tree) {
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
            assertTrue(Scenario.ACTIONS.containsKey(s.steps().get(i).action()));
        }
    }

    /** A wait's timeout is read when it is 0 to 86400 s (ms or s), and refused otherwise: never wrapped or negative. */
    @Property(tries = 800)
    void aTimeoutIsReadOnlyInsideItsRange(@ForAll("timeouts") String timeout) {
        Map<String, Object> step = Map.of("wait", Map.of("timeout", timeout));
        long ms = millisOf(timeout);
        if (ms >= 0 && ms <= 86_400_000L) {
            assertEquals(1, parse(List.of(step)).steps().size());
        } else {
            UsageException e = assertThrows(UsageException.class, () -> parse(List.of(step)), timeout);
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
        }
    }

    /** The value a timeout text means, exactly, or -1 when it means none (BigInteger, so nothing wraps). */
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

    @Property(tries = 300)
    void anyYamlTextIsAScenarioOrAUsageError(@ForAll("yamlTexts") String text) throws IOException {
        Path file = Files.writeString(dir.resolve("fuzz.yaml"), text);
        try {
            Scenario.load(file, dir, ScenarioProperties.class.getClassLoader());
        } catch (UsageException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
    }

    /** Found by the tree property: a boot step's bad arch or engine setting did not name its step. */
    @Example
    void aBadBootStepNamesItsStep() {
        for (Map<String, Object> boot : List.of(Map.<String, Object>of("arch", "sparc"), Map.<String, Object>of(
                "workers", 0), Map.<String, Object>of("namespaces", List.of("a:size=32M", "a:size=64M")))) {
            UsageException e = assertThrows(UsageException.class, () -> parse(List.of("hold", Map.of("boot", boot))));
            assertTrue(e.getMessage().startsWith("step 2 (boot): "), e.getMessage());
        }
    }

    /**
     * A key given twice anywhere in a scenario file is refused: YAML allows no duplicate keys,
     * and a silently dropped {@code expect:} or {@code offset:} would run another test than written.
     */
    @Property(tries = 300)
    void aKeyGivenTwiceIsAUsageError(@ForAll("duplicated") String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("dup.yaml"), yaml);
        UsageException e = assertThrows(UsageException.class,
                () -> Scenario.load(file, dir, ScenarioProperties.class.getClassLoader()), yaml);
        assertTrue(e.getMessage().contains("Duplicate field"), e.getMessage());
    }

    @Provide
    Arbitrary<String> duplicated() {
        return Arbitraries.of(
                "steps:\n  - write: {namespace: n, offset: 4K, data: x}\n    expect: EIO\n    expect: success\n",
                "steps:\n  - access: {namespace: n, offset: 0, offset: 8K}\n",
                "name: a\nname: b\nsteps: [hold]\n",
                "steps: [hold]\nsteps: [release]\n",
                "steps:\n  - wait: {timeout: 1s, timeout: 2s}\n",
                "- verify: {sync: true, sync: false}\n");
    }

    /** Found by reading after the properties: fill: "010" was octal 8 (Integer.decode), "#ff" and "+1" were bytes too. */
    @Example
    void aFillByteIsDecimalOrHex() {
        for (String f : List.of("#ff", "+1", "0X", "-0x1", "0x100", "256", "1e2")) {
            UsageException e = assertThrows(UsageException.class, () -> parse(List.of(Map.of("write",
                    Map.of("namespace", "n", "fill", f)))), f);
            assertTrue(e.getMessage().contains("accepted: 0 to 255 or 0x00 to 0xff"), e.getMessage());
        }
        assertEquals(1, parse(List.of(Map.of("write", Map.of("namespace", "n", "fill", "010")))).steps().size());
        assertEquals(1, parse(List.of(Map.of("write", Map.of("namespace", "n", "fill", "0xfF")))).steps().size());
    }

    /** Found by the timeout property: "-5s" was read as -5000 ms and a huge one wrapped negative. */
    @Example
    void aNegativeOrHugeTimeoutIsAUsageError() {
        for (String t : List.of("-5s", "-1ms", "9223372036854775807s", "86401s", "86400001ms")) {
            UsageException e = assertThrows(UsageException.class, () -> parse(List.of(Map.of("wait",
                    Map.of("timeout", t)))), t);
            assertTrue(e.getMessage().contains("0 to 86400"), e.getMessage());
        }
        assertEquals(1, parse(List.of(Map.of("wait", Map.of("timeout", "86400s")))).steps().size());
    }

    /** The scenario's own badblocks list read "16+8," as one run, the bug BadblocksProperties found in badblocks=. */
    @Example
    void aBadblocksListWithAnEmptyEntryIsAUsageError() {
        for (String list : List.of("16+8,", ",16+8", "16+8,,32")) {
            assertThrows(UsageException.class, () -> parse(List.of(Map.of("badblocks", Map.of("namespace", "n",
                    "add", list)))), list);
        }
    }

    // ---- generators ---------------------------------------------------------------------

    @Provide
    Arbitrary<Object> scenarios() {
        Arbitrary<Object> steps = step().list().ofMinSize(0).ofMaxSize(6).map(l -> (Object) new ArrayList<>(l));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, steps),
                net.jqwik.api.Tuple.of(3, Combinators.combine(steps, scalar()).as((l, n) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", n);
                    m.put("steps", l);
                    return (Object) m;
                })),
                net.jqwik.api.Tuple.of(1, Arbitraries.oneOf(scalar(), Arbitraries.just(Map.of("stepz", List.of())))));
    }

    private Arbitrary<Object> step() {
        List<String> actions = new ArrayList<>(Scenario.ACTIONS.keySet());
        actions.add("bogus");
        Arbitrary<String> action = Arbitraries.of(actions);
        Arbitrary<Object> asMap = action.flatMap(a -> Combinators.combine(args(a), expect().optional(),
                scalar().optional()).as((args, e, n) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    n.ifPresent(v -> m.put("name", v));
                    m.put(a, args);
                    e.ifPresent(v -> m.put("expect", v));
                    return (Object) m;
                }));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, action.map(a -> (Object) a)),
                net.jqwik.api.Tuple.of(7, asMap), net.jqwik.api.Tuple.of(1, scalar()));
    }

    private Arbitrary<Object> args(String action) {
        List<String> keys = new ArrayList<>(Scenario.ACTIONS.getOrDefault(action, List.of()));
        keys.add("extra");
        Arbitrary<Object> map = Arbitraries.of(keys).flatMap(k -> value(k).map(v -> Map.entry(k, v))).list()
                .ofMaxSize(4).map(l -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    l.forEach(e -> m.put(e.getKey(), e.getValue()));
                    return (Object) m;
                });
        Arbitrary<Object> first = keys.size() > 1 ? value(keys.getFirst()) : scalar();
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, map), net.jqwik.api.Tuple.of(3, first),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
    }

    private Arbitrary<Object> value(String key) {
        Arbitrary<Object> typed = switch (key) {
            case "offset", "size", "length" -> Arbitraries.oneOf(sizeText(), sizeText().list().ofMaxSize(3)
                    .map(l -> (Object) new ArrayList<>(l)));
            case "workers", "rangesPerWorker", "skip" -> Arbitraries.oneOf(Arbitraries.integers().between(-2, 1100)
                    .map(i -> (Object) i), Arbitraries.of((Object) 2147483648L, 1.5, "2"));
            case "pfn", "sync", "reset" -> Arbitraries.of(true, false, "true", "no", 1);
            case "spec", "namespaces" -> Arbitraries.oneOf(specText(), specText().list().ofMaxSize(3)
                    .map(l -> (Object) new ArrayList<>(l)));
            case "timeout" -> timeouts().map(t -> (Object) t);
            case "level" -> Arbitraries.of("pgd", "p4d", "pud", "pmd", "pte", "altmap", "PTE", "pxd");
            case "fill" -> Arbitraries.of("0", "255", "256", "0xff", "0x", "-1", "a", 7);
            case "add", "clear" -> Arbitraries.of("16+8", "0", "1+2,3+4", "x", "16+8,", "-1+2", "", "9223372036854775807+1");
            case "read", "write", "via" -> Arbitraries.of("active", "idle", "sync", "flush", "attribute", "jmx", "x");
            case "arch" -> Arbitraries.of("x86_64", "generic", "sparc", "");
            default -> scalar();
        };
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, typed), net.jqwik.api.Tuple.of(1, scalar()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Map.of("nested", List.of(1, 2)))));
    }

    private Arbitrary<Object> sizeText() {
        return Arbitraries.oneOf(Arbitraries.of("0", "4K", "8K", "2M", "1G", "100", "-4K", "1.5K", "9999999999999999999"),
                Arbitraries.longs().between(0, 1L << 31).map(n -> n * 4096).map(n -> (Object) n));
    }

    private Arbitrary<String> specText() {
        return Arbitraries.of("namespace0.0:size=32M", "n:size=32M,mode=devdax,align=2M", "n:size=3M", "x",
                "n:size=32M,file=a.img", "n:size=32M,driver=nobody", "n:size=32M,mode=raw,map=dev", "");
    }

    private Arbitrary<Object> expect() {
        return Arbitraries.of("success", "ok", "error", "EIO", "IO_ERROR", "enomem", "MISMATCH", "TIMEOUT", "nope", "",
                "AUDIT_FAILED");
    }

    private Arbitrary<Object> scalar() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.of(true, 1.25, "", "null"));
    }

    @Provide
    Arbitrary<String> timeouts() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.oneOf(Arbitraries.longs().between(0, 100_000_000L),
                        Arbitraries.longs().between(-1000, -1), Arbitraries.longs().map(Math::abs)).map(String::valueOf),
                        Arbitraries.of("", "s", "ms", "S", "MS", " s", "m")).as((n, u) -> n + u),
                Arbitraries.of("9223372036854775807s", "9223372036854775807ms", "9223372036854776s", "86400s",
                        "86401s", "86400000ms", "86400001ms", "1.5s", "s", "ms", "", " 7s "));
    }

    /** YAML-ish text: random, made of YAML punctuation, deeply nested, and anchor bombs. */
    @Provide
    Arbitrary<String> yamlTexts() {
        Arbitrary<String> nested = Arbitraries.integers().between(1, 1200).flatMap(n -> Arbitraries.of(
                "[".repeat(n) + "]".repeat(n), "{a: ".repeat(n) + "1" + "}".repeat(n), "- ".repeat(n) + "hold",
                "steps:\n" + "  - ".repeat(Math.min(n, 200)) + "verify"));
        Arbitrary<String> bomb = Arbitraries.integers().between(1, 7).map(n -> {
            StringBuilder b = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
            for (int i = 1; i <= n; i++) {
                b.append("a").append(i).append(": &a").append(i).append(" [");
                for (int j = 0; j < 9; j++) {
                    b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
                }
                b.append("]\n");
            }
            return b.append("steps: *a").append(n).append('\n').toString();
        });
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(60),
                Arbitraries.strings().withChars("-:[]{}&*!|>'\"#%@` \n\tabsteps").ofMaxLength(60), nested, bomb,
                Arbitraries.of("", "---", "steps:", "steps: []", "- hold\n- release", "!!binary x", "? a\n: b",
                        "steps: [hold, {wait: {timeout: -1s}}]"));
    }
}
