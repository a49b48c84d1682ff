package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.core.NamespaceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the {@code --namespace} parser ({@link NamespaceArg}): a spec rendered in
 * canonical form parses back to itself, whatever parses renders to text that parses to the
 * same spec, and anything else is a usage error with a message.
 */
class NamespaceArgProperties {
    private static final Path BASE = Path.of("/data/zd");

    @Property(tries = 1500)
    void aRenderedSpecParsesBackToItself(@ForAll("specs") NamespaceSpec spec) {
        String text = NamespaceArg.render(spec);
        assertEquals(spec, NamespaceArg.parse(text, BASE), text);
        assertEquals(text, NamespaceArg.render(NamespaceArg.parse(text, Path.of("/elsewhere"))), "not canonical");
    }

    /** Text from the spec grammar with its pieces shuffled, cased, spaced and broken. */
    @Property(tries = 2000)
    void whateverParsesRendersToTheSameSpecAndTheRestIsAUsageError(@ForAll("specTexts") String text) {
        NamespaceSpec spec;
        try {
            spec = NamespaceArg.parse(text, BASE);
        } catch (UsageException e) {
            assertTrue(e.getMessage().startsWith("namespace \"" + text + "\""), e.getMessage());
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
            return;
        }
        String canonical = NamespaceArg.render(spec);
        assertEquals(spec, NamespaceArg.parse(canonical, BASE), text + " -> " + canonical);
    }

    @Property(tries = 2000)
    void garbageIsAUsageErrorWithAMessage(@ForAll("garbage") String text) {
        try {
            NamespaceArg.parse(text, BASE);
        } catch (UsageException e) {
            assertTrue(e.getMessage() != null && e.getMessage().length() > text.length(), e.getMessage());
        }
    }

    /** Found by the property above: {@code opt.map=ram} skipped map='s check, and {@code opt.map} overruled {@code map}. */
    @Example
    void optDotCannotCarryAKeyTheCliReadsItself() {
        for (String text : List.of("namespace0.0:size=64M,opt.map=ram", "n:size=2M,mode=raw,opt.map=dev",
                "n:size=2M,map=mem,opt.map=dev", "n:size=2M,opt.size=4M", "n:size=2M,opt.driver=x,driver=y")) {
            UsageException e = assertThrows(UsageException.class, () -> NamespaceArg.parse(text, BASE), text);
            assertTrue(e.getMessage().contains("is read by zonedev itself"), e.getMessage());
        }
        assertEquals(Map.of("x", "1"), NamespaceArg.parse("n:size=2M,opt.x=1", BASE).options());
    }

    /** Found by the property above: a NUL in the file name escaped as InvalidPathException. */
    @Example
    void aFileNameThatIsNoPathIsAUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> NamespaceArg.parse("namespace0.0:size=2M,file=a\u0000b", BASE));
        assertTrue(e.getMessage().contains("is not a path"), e.getMessage());
    }

    /** Like count= of --workload: nid=+7 and other scripts' digits were read as a node number. */
    @Example
    void onlyAsciiDigitsAreANode() {
        for (String nid : List.of("+7", "\u0663", "-0", "7 7")) {
            UsageException e = assertThrows(UsageException.class,
                    () -> NamespaceArg.parse("n:size=2M,nid=" + nid, BASE), nid);
            assertTrue(e.getMessage().contains("accepted: 0 to 1023"), e.getMessage());
        }
        assertEquals(7, NamespaceArg.parse("n:size=2M,nid=07", BASE).nid());
    }

    @Example
    void nullIsAUsageError() {
        assertThrows(UsageException.class, () -> NamespaceArg.parse(null, BASE));
    }

    // ---- generators -----------------------------------------------------------------------

    @Provide
    Arbitrary<NamespaceSpec> specs() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcXYZ019._-").ofMinLength(1).ofMaxLength(64);
        Arbitrary<Long> size = Arbitraries.longs().between(1, 1L << 21).map(n -> n << 21);
        Arbitrary<Long> align = Arbitraries.integers().between(12, 30).map(s -> 1L << s);
        Arbitrary<Optional<Path>> file = Arbitraries.strings().withChars("abc019._-/ ").ofMinLength(1).ofMaxLength(20)
                .map(f -> BASE.resolve(f.strip().isEmpty() ? "x" : f.strip()).normalize())
                .filter(p -> !p.toString().isEmpty() && !p.toString().endsWith(" ")).optional(0.5);
        Arbitrary<Integer> nid = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 1023));
        return Combinators.combine(name, size, Arbitraries.of(NamespaceMode.class), align, file, nid, options())
                .as((n, s, m, a, f, i, o) -> {
                    Map<String, String> opts = new LinkedHashMap<>(o);
                    if (m == NamespaceMode.RAW) {
                        opts.remove("map");
                    }
                    return new NamespaceSpec(n, s, m, a, f, i, opts);
                });
    }

    private Arbitrary<Map<String, String>> options() {
        Arbitrary<String> list = Arbitraries.strings().withChars("0123456789+").ofMinLength(1).ofMaxLength(6)
                .list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(",", l));
        Arbitrary<String> plain = Arbitraries.strings().withChars("abcXYZ09._-:/+=").ofMinLength(1).ofMaxLength(12)
                .filter(v -> !v.isBlank());
        Arbitrary<String> thirdPartyKey = Arbitraries.strings().withChars("abcxyz09._-").ofMinLength(1).ofMaxLength(8)
                .filter(k -> !NamespaceArg.SPEC_KEYS.contains(k) && !NamespaceArg.DRIVER_KEYS.contains(k)
                        && !k.startsWith("opt."));
        return Combinators.combine(Arbitraries.of("mem", "dev").optional(), list.optional(), list.optional(),
                Arbitraries.of("true", "false").optional(), plain.optional(), plain.optional(),
                Combinators.combine(thirdPartyKey, plain).as(Map::entry).list().ofMaxSize(3))
                .as((map, bad, dev, relabel, uuid, driver, extra) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    map.ifPresent(v -> m.put("map", v));
                    bad.ifPresent(v -> m.put("badblocks", v));
                    dev.ifPresent(v -> m.put("devices", v));
                    relabel.ifPresent(v -> m.put("relabel", v));
                    uuid.ifPresent(v -> m.put("uuid", v));
                    driver.ifPresent(v -> m.put("driver", v));
                    extra.forEach(e -> m.put(e.getKey(), e.getValue()));
                    return m;
                });
    }

    @Provide
    Arbitrary<String> specTexts() {
        Map<String, Arbitrary<String>> values = new LinkedHashMap<>();
        values.put("size", Arbitraries.of("2M", "4K", "1G", "64M", "3M", "0", "-2M", "9999999999999999999T", "2MiB"));
        values.put("mode", Arbitraries.of("fsdax", "devdax", "raw", "RAW", " Fsdax", "dax"));
        values.put("map", Arbitraries.of("mem", "dev", "MEM", "ram"));
        values.put("align", Arbitraries.of("4K", "2M", "1G", "64K", "3K", "2G", "0"));
        values.put("file", Arbitraries.of("a.img", "/tmp/b.img", "../c.img", "d,e.img", "x y"));
        values.put("nid", Arbitraries.of("0", "5", "1023", "1024", "-1", "+7", "07", "x", "99999999999"));
        values.put("badblocks", Arbitraries.of("0+8", "1+2,3+4", "7", "x"));
        values.put("devices", Arbitraries.of("2M,4M", "1G", "0"));
        values.put("relabel", Arbitraries.of("true", "no"));
        values.put("uuid", Arbitraries.of("00000000-0000-0000-0000-000000000001", "u"));
        values.put("driver", Arbitraries.of("pmem", "devdax", "mine"));
        List<String> keys = new ArrayList<>(values.keySet());
        for (String k : List.of("map", "size", "driver", "mode", "nid", "relabel")) {
            keys.add("opt." + k);
            values.put("opt." + k, values.get(k));
        }
        keys.addAll(List.of("opt.x", "opt.", "OPT.Y", "Size", "bogus", ""));
        Arbitrary<String> anyValue = Arbitraries.oneOf(Arbitraries.of("v", "x=y", "", " ", "a,b"),
                Arbitraries.strings().ofMaxLength(4));
        Arbitrary<String> item = Arbitraries.of(keys).flatMap(k -> Combinators.combine(
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, values.getOrDefault(k, anyValue)),
                        net.jqwik.api.Tuple.of(1, anyValue)),
                Arbitraries.frequency(net.jqwik.api.Tuple.of(20, "="), net.jqwik.api.Tuple.of(1, "=="),
                        net.jqwik.api.Tuple.of(1, ""), net.jqwik.api.Tuple.of(1, " = ")))
                .as((v, eq) -> k + eq + v));
        Arbitrary<String> name = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.of("namespace0.0", "n",
                " n ")), net.jqwik.api.Tuple.of(1, Arbitraries.of("", "a:b", "\u00fc", "n n")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(3)));
        Arbitrary<String> sep = Arbitraries.frequency(net.jqwik.api.Tuple.of(20, ","), net.jqwik.api.Tuple.of(1, ", "),
                net.jqwik.api.Tuple.of(1, ",,"), net.jqwik.api.Tuple.of(1, ";"));
        return Combinators.combine(name, Arbitraries.frequency(net.jqwik.api.Tuple.of(20, ":"),
                net.jqwik.api.Tuple.of(1, ""), net.jqwik.api.Tuple.of(1, "::")), item.list().ofMaxSize(7),
                values.get("size"), sep).as((n, colon, items, size, s) -> {
                    List<String> all = new ArrayList<>(items);
                    all.add(Math.abs(n.hashCode() + items.size()) % (all.size() + 1), "size=" + size);
                    return n + colon + String.join(s, all);
                });
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("nsize=,:2MGK+-.opt/ \u0000\u00e9").ofMaxLength(40),
                Arbitraries.strings().ofMaxLength(20).map(s -> "n:size=2M," + s));
    }
}
