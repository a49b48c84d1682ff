package dev.zonedev.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code --vary KEY=V1,V2,...} option: a known key and its values, each checked and canonical,
 * none twice. Immutable.
 *
 * @param key the key
 * @param values at least one value, in the order given
 */
record Vary(VaryKey key, List<String> values) {
    static final String FORMAT = "KEY=V1,V2,... (at least one value, each value once)";

    Vary {
        values = List.copyOf(values);
    }

    /**
     * Parses one {@code --vary} text.
     *
     * @throws UsageException naming the problem: no {@code =}, an unknown key (listing the known
     *     ones), an empty or repeated value, or a value the key refuses (listing what it accepts)
     */
    static Vary parse(String text, ClassLoader loader) {
        int eq = text == null ? -1 : text.indexOf('=');
        if (eq <= 0) {
            throw new UsageException(
                    "--vary \""
                            + text
                            + "\" is not "
                            + FORMAT
                            + "; accepted keys: "
                            + VaryKeys.names(loader));
        }
        String name = text.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
        VaryKey key =
                VaryKeys.find(name, loader)
                        .orElseThrow(
                                () ->
                                        new UsageException(
                                                "--vary key \""
                                                        + name
                                                        + "\" is unknown; accepted keys: "
                                                        + VaryKeys.names(loader)));
        List<String> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : text.substring(eq + 1).split(",", -1)) {
            String v = raw.strip();
            if (v.isEmpty()) {
                throw new UsageException(
                        "--vary \"" + text + "\" has an empty value; accepted: " + FORMAT);
            }
            String canonical = key.canonical(v);
            if (!seen.add(canonical)) {
                throw new UsageException(
                        "--vary \""
                                + text
                                + "\" gives "
                                + name
                                + "="
                                + canonical
                                + " twice; accepted: each value once");
            }
            values.add(canonical);
        }
        return new Vary(key, values);
    }

    /** The canonical text, as {@link #parse} reads it back. */
    String render() {
        return key.name() + "=" + String.join(",", values);
    }
}
