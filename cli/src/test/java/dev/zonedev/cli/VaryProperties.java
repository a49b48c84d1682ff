package dev.zonedev.cli;

import static dev.zonedev.api.testing.Gens.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.testing.Props;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Properties of the {@code --vary KEY=V1,V2,...} grammar ({@link Vary}, {@link VaryKeys}). */
class VaryProperties {
    private static final ClassLoader LOADER = VaryProperties.class.getClassLoader();

    /** Values each implemented key accepts, in canonical form. */
    private static final Map<String, List<String>> VALID =
            Map.of(
                    "strategy", List.of("seed", "upstream", "padata", "seed+padata"),
                    "page-init", List.of("fields", "template"),
                    "workers", List.of("1", "2", "7", "1024"),
                    "ranges-per-worker", List.of("1", "4", "128", "1048576"),
                    "arch", List.of("x86_64", "generic"),
                    "map", List.of("mem", "dev"),
                    "align", List.of("4K", "2M", "1G"),
                    "mode", List.of("raw", "fsdax", "devdax"),
                    "nid", List.of("0", "1", "1023"));

    @Test
    void aRenderedVaryParsesBackToItself() {
        Props.check(
                1000,
                of(new ArrayList<>(VALID.keySet())),
                lists(ints(0, 3), 1, 4),
                VaryProperties::aRenderedVaryParsesBackToItself);
    }

    private static void aRenderedVaryParsesBackToItself(String key, List<Integer> picks) {
        List<String> accepted = VALID.get(key);
        List<String> values = new ArrayList<>();
        for (int p : picks) {
            String v = accepted.get(p % accepted.size());
            if (!values.contains(v)) {
                values.add(v);
            }
        }
        Vary v = Vary.parse(key + "=" + String.join(",", values), LOADER);
        assertEquals(key, v.key().name());
        assertEquals(values, v.values());
        assertEquals(v, Vary.parse(v.render(), LOADER));
    }

    @Test
    void anythingElseIsAUsageErrorNamingWhatIsAccepted() {
        Props.check(
                3000, varyTexts(), VaryProperties::anythingElseIsAUsageErrorNamingWhatIsAccepted);
    }

    private static void anythingElseIsAUsageErrorNamingWhatIsAccepted(String text) {
        Vary v;
        try {
            v = Vary.parse(text, LOADER);
        } catch (UsageException e) {
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
            return;
        }
        assertFalse(v.values().isEmpty(), text);
        assertEquals(v.values().size(), new HashSet<>(v.values()).size(), "a value twice: " + text);
        assertTrue(VALID.containsKey(v.key().name()), text);
        for (String value : v.values()) {
            assertEquals(value, v.key().canonical(value), "not canonical: " + text);
        }
        assertEquals(v, Vary.parse(v.render(), LOADER), text);
    }

    @Test
    void everyCombinationOccursOnceWithTheFirstKeyVaryingSlowest() {
        Props.check(
                300,
                lists(of(new ArrayList<>(VALID.keySet())), 1, 3),
                ints(1, 3),
                VaryProperties::everyCombinationOccursOnceWithTheFirstKeyVaryingSlowest);
    }

    private static void everyCombinationOccursOnceWithTheFirstKeyVaryingSlowest(
            List<String> keys, int width) {
        List<Vary> varies = new ArrayList<>();
        for (String k : keys) {
            List<String> values = VALID.get(k);
            varies.add(
                    Vary.parse(
                            k
                                    + "="
                                    + String.join(
                                            ",", values.subList(0, Math.min(width, values.size()))),
                            LOADER));
        }
        if (new HashSet<>(keys).size() < keys.size()) {
            UsageException e =
                    assertThrows(
                            UsageException.class, () -> Combination.all(varies), keys::toString);
            assertTrue(e.getMessage().contains("given twice"), e.getMessage());
            return;
        }
        List<Combination> all = Combination.all(varies);
        int expected = varies.stream().mapToInt(v -> v.values().size()).reduce(1, (a, b) -> a * b);
        assertEquals(expected, all.size());
        assertEquals(expected, new HashSet<>(all).size(), "a combination twice");
        Vary first = varies.getFirst();
        int block = expected / first.values().size();
        for (int i = 0; i < all.size(); i++) {
            assertEquals(keys, new ArrayList<>(all.get(i).settings().keySet()));
            assertEquals(
                    first.values().get(i / block), all.get(i).settings().get(first.key().name()));
        }
    }

    private static Gen<String> varyTexts() {
        Gen<String> key =
                of(
                        "workers",
                        "ranges-per-worker",
                        "arch",
                        "map",
                        "align",
                        "mode",
                        "nid",
                        "MAP",
                        "strategy",
                        "page-init",
                        "size",
                        "x",
                        "");
        Gen<String> value =
                oneOf(
                        of(
                                "1",
                                "0",
                                "2",
                                "1024",
                                "1025",
                                "1048577",
                                "+2",
                                "\u0663",
                                "mem",
                                "dev",
                                "Dev",
                                "4K",
                                "2M",
                                "1G",
                                "3M",
                                "4096",
                                "raw",
                                "fsdax",
                                "devdax",
                                "pmem",
                                "x86_64",
                                "generic",
                                "arm64",
                                "seed",
                                "fields",
                                "Template",
                                "fast",
                                "",
                                " 2 "),
                        strings(0, 5));
        Gen<String> values = lists(value, 0, 4).map(vs -> String.join(",", new ArrayList<>(vs)));
        return oneOf(
                strings(0, 20),
                key.zip(of("=", "=", "=", "", "=="), values, (k, eq, v) -> k + eq + v),
                just((String) null));
    }
}
