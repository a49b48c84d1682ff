package dev.zonedev.cli;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Sizes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code --namespace} argument: {@code NAME:size=SIZE[,mode=raw|fsdax|devdax][,map=mem|dev]
 * [,align=SIZE][,file=PATH][,nid=N][,KEY=VALUE...]}. Values of {@code badblocks=} and {@code
 * devices=} are lists themselves: an item without {@code =} continues the previous value ({@code
 * badblocks=0+8,64+8}). Relative files resolve against a base directory. Stateless.
 */
final class NamespaceArg {
    /** The keys the cli reads itself. */
    static final List<String> SPEC_KEYS = List.of("size", "mode", "map", "align", "file", "nid");

    /** The driver options passed on as they are. */
    static final List<String> DRIVER_KEYS =
            List.of("driver", "badblocks", "devices", "relabel", "uuid", "force");

    static final String FORMAT =
            "NAME:size=SIZE[,mode=raw|fsdax|devdax][,map=mem|dev][,align=SIZE][,file=PATH]"
                    + "[,nid=N][,badblocks=S+N,...][,devices=SIZE,...][,relabel=true][,uuid=UUID][,driver=NAME][,force=true]"
                    + "[,opt.KEY=VALUE]";

    private NamespaceArg() {}

    /**
     * Parses one namespace argument.
     *
     * @throws UsageException naming the problem and the accepted form
     */
    static NamespaceSpec parse(String text, Path baseDir) {
        String where = "namespace \"" + text + "\"";
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0) {
            throw new UsageException(where + " has no NAME: part; accepted: " + FORMAT);
        }
        String name = text.substring(0, colon).strip();
        Map<String, String> kv = keyValues(text.substring(colon + 1), where);
        String size = kv.remove("size");
        if (size == null) {
            throw new UsageException(
                    where + " has no size=; accepted: " + FORMAT + " (size a multiple of 2M)");
        }
        try {
            NamespaceMode mode = NamespaceMode.parse(kv.getOrDefault("mode", "fsdax"));
            kv.remove("mode");
            String map = kv.get("map");
            if (map != null && !map.equals("mem") && !map.equals("dev")) {
                throw new UsageException(
                        where
                                + ": map="
                                + map
                                + " is unknown; accepted: map=mem (struct pages in"
                                + " RAM) or map=dev (struct pages in the namespace, through an altmap)");
            }
            if (map != null && mode == NamespaceMode.RAW) {
                throw new UsageException(
                        where
                                + ": map= applies to fsdax and devdax namespaces only; a raw"
                                + " namespace has no memmap; accepted: mode=fsdax or mode=devdax with map=, or no map=");
            }
            String alignText = kv.remove("align");
            long align = alignText == null ? NamespaceSpec.DEFAULT_ALIGN : Sizes.parse(alignText);
            String file = kv.remove("file");
            Optional<Path> path =
                    file == null ? Optional.empty() : Optional.of(path(file, baseDir, where));
            int nid = parseNid(kv.remove("nid"), where);
            Map<String, String> options = new LinkedHashMap<>();
            for (var e : kv.entrySet()) {
                String key = e.getKey();
                if (key.startsWith("opt.") && key.length() > 4) {
                    String option = key.substring(4);
                    if (SPEC_KEYS.contains(option) || DRIVER_KEYS.contains(option)) {
                        // opt. is for third-party options: through it map= would skip its checks
                        // and
                        // opt.map= could silently overrule map=
                        throw new UsageException(
                                where
                                        + ": key \""
                                        + key
                                        + "\": "
                                        + option
                                        + " is read by zonedev"
                                        + " itself; accepted: "
                                        + option
                                        + "=VALUE without opt., which is for a third-party"
                                        + " driver's own options");
                    }
                    options.put(option, e.getValue());
                } else if (DRIVER_KEYS.contains(key) || key.equals("map")) {
                    options.put(key, e.getValue());
                } else {
                    throw new UsageException(
                            where
                                    + ": key \""
                                    + key
                                    + "\" is unknown; accepted: "
                                    + String.join(", ", SPEC_KEYS)
                                    + ", "
                                    + String.join(", ", DRIVER_KEYS)
                                    + ", or opt.KEY for a third-party driver's option");
                }
            }
            return new NamespaceSpec(name, Sizes.parse(size), mode, align, path, nid, options);
        } catch (ZoneDeviceException e) {
            throw new UsageException(where + ": " + e.getMessage());
        }
    }

    /**
     * The canonical text of a spec, as {@link #parse} reads it back: {@code
     * NAME:size=,mode=,align=} always, then {@code file=} (absolute) and {@code nid=} when set,
     * then the options in key order, a third-party driver's as {@code opt.KEY}. Sizes in their
     * largest whole unit. The report and the scenario steps show it, so a run can be repeated from
     * its output.
     */
    static String render(NamespaceSpec spec) {
        StringBuilder b =
                new StringBuilder(spec.name())
                        .append(":size=")
                        .append(Sizes.format(spec.size()))
                        .append(",mode=")
                        .append(spec.mode().text())
                        .append(",align=")
                        .append(Sizes.format(spec.align()));
        spec.file().ifPresent(f -> b.append(",file=").append(f.toAbsolutePath().normalize()));
        if (spec.nid() != 0) {
            b.append(",nid=").append(spec.nid());
        }
        for (String key : new java.util.TreeSet<>(spec.options().keySet())) {
            boolean own = DRIVER_KEYS.contains(key) || key.equals("map");
            b.append(',')
                    .append(own ? key : "opt." + key)
                    .append('=')
                    .append(spec.options().get(key));
        }
        return b.toString();
    }

    private static Path path(String file, Path baseDir, String where) {
        try {
            return baseDir.resolve(file).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(
                    where
                            + ": file="
                            + file
                            + " is not a path here ("
                            + e.getReason()
                            + "); accepted: a file name or path");
        }
    }

    private static int parseNid(String text, String where) {
        if (text == null) {
            return 0;
        }
        try {
            if (!text.strip()
                    .matches("[0-9]{1,10}")) { // parseInt alone also reads "+7" and other scripts'
                // digits
                throw new NumberFormatException(text);
            }
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(
                    where + ": nid=" + text + " is not a number; accepted: 0 to 1023");
        }
    }

    /** {@code k=v,k=v}; items without {@code =} continue the previous value. */
    static Map<String, String> keyValues(String text, String where) {
        Map<String, String> kv = new LinkedHashMap<>();
        String last = null;
        for (String item : text.split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                if (last == null || item.isBlank()) {
                    throw new UsageException(
                            where + ": \"" + item + "\" is not KEY=VALUE; accepted: " + FORMAT);
                }
                kv.put(last, kv.get(last) + "," + item.strip());
                continue;
            }
            String key = item.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
            String value = item.substring(eq + 1).strip();
            if (key.isEmpty() || value.isEmpty()) {
                throw new UsageException(
                        where
                                + ": \""
                                + item
                                + "\" has an empty key or value; accepted: "
                                + FORMAT);
            }
            if (kv.containsKey(key)) {
                throw new UsageException(
                        where + ": key \"" + key + "\" is given twice; accepted: each key once");
            }
            kv.put(key, value);
            last = key;
        }
        return kv;
    }
}
