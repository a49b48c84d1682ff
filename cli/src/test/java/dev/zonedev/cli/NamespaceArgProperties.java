package dev.zonedev.cli;

import static dev.zonedev.api.testing.Gens.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.testing.Gens;
import dev.zonedev.api.testing.Props;
import dev.zonedev.core.NamespaceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of the {@code --namespace} parser ({@link NamespaceArg}): a spec rendered in canonical
 * form parses back to itself, whatever parses renders to text that parses to the same spec, and
 * anything else is a usage error with a message.
 */
class NamespaceArgProperties {
    private static final Path BASE = Path.of("/data/zd");

    @Test
    void aRenderedSpecParsesBackToItself() {
        Props.check(1500, specs(), NamespaceArgProperties::aRenderedSpecParsesBackToItself);
    }

    private static void aRenderedSpecParsesBackToItself(NamespaceSpec spec) {
        String text = NamespaceArg.render(spec);
        assertEquals(spec, NamespaceArg.parse(text, BASE), text);
        assertEquals(
                text,
                NamespaceArg.render(NamespaceArg.parse(text, Path.of("/elsewhere"))),
                "not canonical");
    }

    /** Text from the spec grammar with its pieces shuffled, cased, spaced and broken. */
    @Test
    void whateverParsesRendersToTheSameSpecAndTheRestIsAUsageError() {
        Props.check(
                2000,
                specTexts(),
                NamespaceArgProperties::whateverParsesRendersToTheSameSpecAndTheRestIsAUsageError);
    }

    private static void whateverParsesRendersToTheSameSpecAndTheRestIsAUsageError(String text) {
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

    @Test
    void garbageIsAUsageErrorWithAMessage() {
        Props.check(2000, garbage(), NamespaceArgProperties::garbageIsAUsageErrorWithAMessage);
    }

    private static void garbageIsAUsageErrorWithAMessage(String text) {
        try {
            NamespaceArg.parse(text, BASE);
        } catch (UsageException e) {
            assertTrue(
                    e.getMessage() != null && e.getMessage().length() > text.length(),
                    e.getMessage());
        }
    }

    /**
     * Found by the property above: {@code opt.map=ram} skipped map='s check, and {@code opt.map}
     * overruled {@code map}.
     */
    @Test
    void optDotCannotCarryAKeyTheCliReadsItself() {
        for (String text :
                List.of(
                        "namespace0.0:size=64M,opt.map=ram",
                        "n:size=2M,mode=raw,opt.map=dev",
                        "n:size=2M,map=mem,opt.map=dev",
                        "n:size=2M,opt.size=4M",
                        "n:size=2M,opt.driver=x,driver=y")) {
            UsageException e =
                    assertThrows(UsageException.class, () -> NamespaceArg.parse(text, BASE), text);
            assertTrue(e.getMessage().contains("is read by zonedev itself"), e.getMessage());
        }
        assertEquals(Map.of("x", "1"), NamespaceArg.parse("n:size=2M,opt.x=1", BASE).options());
    }

    /** Found by the property above: a NUL in the file name escaped as InvalidPathException. */
    @Test
    void aFileNameThatIsNoPathIsAUsageError() {
        UsageException e =
                assertThrows(
                        UsageException.class,
                        () -> NamespaceArg.parse("namespace0.0:size=2M,file=a\u0000b", BASE));
        assertTrue(e.getMessage().contains("is not a path"), e.getMessage());
    }

    /** Like count= of --workload: nid=+7 and other scripts' digits were read as a node number. */
    @Test
    void onlyAsciiDigitsAreANode() {
        for (String nid : List.of("+7", "\u0663", "-0", "7 7")) {
            UsageException e =
                    assertThrows(
                            UsageException.class,
                            () -> NamespaceArg.parse("n:size=2M,nid=" + nid, BASE),
                            nid);
            assertTrue(e.getMessage().contains("accepted: 0 to 1023"), e.getMessage());
        }
        assertEquals(7, NamespaceArg.parse("n:size=2M,nid=07", BASE).nid());
    }

    @Test
    void nullIsAUsageError() {
        assertThrows(UsageException.class, () -> NamespaceArg.parse(null, BASE));
    }

    // ---- generators -----------------------------------------------------------------------

    private static Gen<NamespaceSpec> specs() {
        Gen<String> names = strings("abcXYZ019._-", 1, 64);
        Gen<Long> sizes = longs(1, 1L << 21).map(n -> n << 21);
        Gen<NamespaceMode> modes = enums(NamespaceMode.class);
        Gen<Long> aligns = ints(12, 30).map(s -> 1L << s);
        Gen<Optional<Path>> files =
                optional(
                        filter(
                                strings("abc019._-/ ", 1, 20)
                                        .map(
                                                f ->
                                                        BASE.resolve(
                                                                        f.strip().isEmpty()
                                                                                ? "x"
                                                                                : f.strip())
                                                                .normalize()),
                                p -> !p.toString().isEmpty() && !p.toString().endsWith(" ")),
                        50);
        Gen<Integer> nids = oneOf(just(0), ints(0, 1023));
        Gen<Map<String, String>> options = options();
        return in -> {
            String n = names.generate(in);
            long s = sizes.generate(in);
            NamespaceMode m = modes.generate(in);
            long a = aligns.generate(in);
            Optional<Path> f = files.generate(in);
            int i = nids.generate(in);
            Map<String, String> opts = new LinkedHashMap<>(options.generate(in));
            if (m == NamespaceMode.RAW) {
                opts.remove("map");
            }
            return new NamespaceSpec(n, s, m, a, f, i, opts);
        };
    }

    private static Gen<Map<String, String>> options() {
        Gen<String> list = lists(strings("0123456789+", 1, 6), 1, 4).map(l -> String.join(",", l));
        Gen<String> plain = filter(strings("abcXYZ09._-:/+=", 1, 12), v -> !v.isBlank());
        Gen<String> thirdPartyKey =
                filter(
                        strings("abcxyz09._-", 1, 8),
                        k ->
                                !NamespaceArg.SPEC_KEYS.contains(k)
                                        && !NamespaceArg.DRIVER_KEYS.contains(k)
                                        && !k.startsWith("opt."));
        Gen<Optional<String>> maps = optional(of("mem", "dev"), 5);
        Gen<Optional<String>> numberLists = optional(list, 5);
        Gen<Optional<String>> relabels = optional(of("true", "false"), 5);
        Gen<Optional<String>> plains = optional(plain, 5);
        Gen<List<Map.Entry<String, String>>> extras =
                lists(thirdPartyKey.zip(plain, (k, v) -> Map.entry(k, v)), 0, 3);
        return in -> {
            Map<String, String> m = new LinkedHashMap<>();
            maps.generate(in).ifPresent(v -> m.put("map", v));
            numberLists.generate(in).ifPresent(v -> m.put("badblocks", v));
            numberLists.generate(in).ifPresent(v -> m.put("devices", v));
            relabels.generate(in).ifPresent(v -> m.put("relabel", v));
            plains.generate(in).ifPresent(v -> m.put("uuid", v));
            plains.generate(in).ifPresent(v -> m.put("driver", v));
            extras.generate(in).forEach(e -> m.put(e.getKey(), e.getValue()));
            return m;
        };
    }

    private static Gen<String> specTexts() {
        Map<String, Gen<String>> values = new LinkedHashMap<>();
        values.put(
                "size",
                of("2M", "4K", "1G", "64M", "3M", "0", "-2M", "9999999999999999999T", "2MiB"));
        values.put("mode", of("fsdax", "devdax", "raw", "RAW", " Fsdax", "dax"));
        values.put("map", of("mem", "dev", "MEM", "ram"));
        values.put("align", of("4K", "2M", "1G", "64K", "3K", "2G", "0"));
        values.put("file", of("a.img", "/tmp/b.img", "../c.img", "d,e.img", "x y"));
        values.put("nid", of("0", "5", "1023", "1024", "-1", "+7", "07", "x", "99999999999"));
        values.put("badblocks", of("0+8", "1+2,3+4", "7", "x"));
        values.put("devices", of("2M,4M", "1G", "0"));
        values.put("relabel", of("true", "no"));
        values.put("uuid", of("00000000-0000-0000-0000-000000000001", "u"));
        values.put("driver", of("pmem", "devdax", "mine"));
        List<String> keys = new ArrayList<>(values.keySet());
        for (String k : List.of("map", "size", "driver", "mode", "nid", "relabel")) {
            keys.add("opt." + k);
            values.put("opt." + k, values.get(k));
        }
        keys.addAll(List.of("opt.x", "opt.", "OPT.Y", "Size", "bogus", ""));
        Gen<String> anyValue = oneOf(of("v", "x=y", "", " ", "a,b"), strings(0, 4));
        Gen<String> equals = weighted(20, "=", 1, "==", 1, "", 1, " = ");
        Gen<String> item =
                of(keys).flatMap(
                                k ->
                                        Gens.<String>weighted(
                                                        9,
                                                        values.getOrDefault(k, anyValue),
                                                        1,
                                                        anyValue)
                                                .zip(equals, (v, eq) -> k + eq + v));
        Gen<String> name =
                weighted(
                        8,
                        of("namespace0.0", "n", " n "),
                        1,
                        of("", "a:b", "\u00fc", "n n"),
                        1,
                        strings(0, 3));
        Gen<String> sep = weighted(20, ",", 1, ", ", 1, ",,", 1, ";");
        Gen<String> colon = weighted(20, ":", 1, "", 1, "::");
        Gen<List<String>> items = lists(item, 0, 7);
        Gen<String> size = values.get("size");
        return in -> {
            String n = name.generate(in);
            String c = colon.generate(in);
            List<String> all = new ArrayList<>(items.generate(in));
            int count = all.size();
            all.add(Math.abs(n.hashCode() + count) % (all.size() + 1), "size=" + size.generate(in));
            return n + c + String.join(sep.generate(in), all);
        };
    }

    private static Gen<String> garbage() {
        return oneOf(
                strings(0, 40),
                strings("nsize=,:2MGK+-.opt/ \u0000\u00e9", 0, 40),
                strings(0, 20).map(s -> "n:size=2M," + s));
    }
}
