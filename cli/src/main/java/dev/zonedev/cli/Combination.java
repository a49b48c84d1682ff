package dev.zonedev.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One combination of the varied settings of {@code zonedev compare}: a value for each varied key,
 * in the order the keys were given. Immutable.
 *
 * @param settings key to canonical value, in {@code --vary} order
 */
record Combination(Map<String, String> settings) {
    Combination {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** "map=mem strategy=seed": how tables, charts and messages name it. */
    String label() {
        return settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /**
     * Every combination of the values, the first key varying slowest (the cartesian product).
     *
     * @throws UsageException when a key is varied twice
     */
    static List<Combination> all(List<Vary> varies) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Vary v : varies) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                if (partial.containsKey(v.key().name())) {
                    throw new UsageException(
                            "--vary "
                                    + v.key().name()
                                    + " is given twice; accepted: each key in one --vary,"
                                    + " with all its values");
                }
                for (String value : v.values()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(v.key().name(), value);
                    next.add(m);
                }
            }
            out = next;
        }
        return out.stream().map(Combination::new).toList();
    }
}
