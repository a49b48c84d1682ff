package dev.zonedev.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Sizes;
import dev.zonedev.core.VmemmapLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scenario file, parsed once and checked whole before anything runs: every step's action,
 * arguments, sizes, namespace specs and expectation. Each {@link Step} holds a typed {@link
 * ScenarioAction} record and an {@link Expectation}; nothing is parsed again while it runs. A bad
 * file is a {@link UsageException} naming the step and what is accepted. Immutable once loaded.
 *
 * <p>Format (YAML): a map with an optional {@code name} and a {@code steps} list (or just the
 * list). Each step is an action name alone ({@code - hold}) or a map with one action key whose
 * value holds its arguments (a map, or a scalar for the main one), plus optional {@code expect}
 * ({@code success}, an error code such as {@code IO_ERROR} or its errno {@code EIO}, {@code
 * MISMATCH}, {@code AUDIT_FAILED}, {@code TIMEOUT}, or {@code error} for any failure) and {@code
 * name}.
 */
final class Scenario {
    /**
     * The actions and the arguments each accepts, in README's order; the first is the one a scalar
     * value sets. The names are those of {@link ScenarioAction}'s records (a test checks both
     * directions, and README's table against this map).
     */
    static final Map<String, List<String>> ACTIONS = actions();

    /** A wait's timeout: whole seconds or milliseconds, in ASCII digits. */
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(s|ms)?");

    /** The longest timeout accepted, a day: longer reads as a typo, and nothing can wrap. */
    private static final long MAX_TIMEOUT_MS = 86_400_000L;

    /**
     * One step, checked.
     *
     * @param number 1-based position
     * @param label the step's {@code name}, or null
     * @param expect what it should end with
     * @param action what it does, its arguments parsed
     */
    record Step(int number, String label, Expectation expect, ScenarioAction action) {}

    private final String name;
    private final List<Step> steps;

    private Scenario(String name, List<Step> steps) {
        this.name = name;
        this.steps = List.copyOf(steps);
    }

    String name() {
        return name;
    }

    List<Step> steps() {
        return steps;
    }

    private static Map<String, List<String>> actions() {
        Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        m.put(
                "boot",
                List.of(
                        "arch",
                        "strategy",
                        "workers",
                        "rangesPerWorker",
                        "pageInit",
                        "nodes",
                        "namespaces"));
        m.put("create", List.of("spec"));
        m.put("destroy", List.of("namespace"));
        m.put("enable", List.of("namespace"));
        m.put("disable", List.of("namespace"));
        m.put("hold", List.of());
        m.put("release", List.of());
        m.put("access", List.of("namespace", "device", "offset", "size", "pfn"));
        m.put("fault", List.of("namespace", "device", "offset", "size"));
        m.put("write", List.of("namespace", "device", "offset", "data", "fill", "length"));
        m.put("read", List.of("namespace", "device", "offset", "data", "fill", "length"));
        m.put("badblocks", List.of("namespace", "add", "clear"));
        m.put("inject", List.of("level", "skip", "reset"));
        m.put("memmap_state", List.of("namespace", "read", "write", "via"));
        m.put("wait", List.of("namespace", "timeout"));
        m.put("verify", List.of("namespace", "sync"));
        m.put("teardown", List.of());
        m.put("restart", List.of());
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Loads and checks a scenario; relative namespace files resolve against {@code dataDir}. */
    static Scenario load(Path file, Path dataDir, ClassLoader loader) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("scenario " + file + " is not a readable file");
        }
        if (!Files.isDirectory(dataDir)) {
            throw new UsageException(
                    "--data-dir "
                            + dataDir
                            + " is not a directory; accepted: an existing directory");
        }
        JsonNode root;
        try {
            // a key given twice (two expect:, two offsets) is an error, not "the last one wins"
            root =
                    new ObjectMapper(
                                    new YAMLFactory()
                                            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
                            .readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UsageException(
                    "scenario "
                            + file
                            + " is not valid YAML: "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
        return parse(root, file.getFileName().toString(), dataDir, loader);
    }

    static Scenario parse(JsonNode root, String fallbackName, Path dataDir, ClassLoader loader) {
        String name = fallbackName;
        JsonNode list = root;
        if (root != null && root.isObject()) {
            Set<String> keys = fieldNames(root);
            keys.removeAll(Set.of("name", "steps"));
            if (!keys.isEmpty()) {
                throw new UsageException(
                        "scenario: unknown top-level key(s) " + keys + "; accepted: name, steps");
            }
            name = root.path("name").asText(fallbackName);
            list = root.get("steps");
        }
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new UsageException(
                    "scenario: no steps; accepted: a list of steps, or a map with name and steps,"
                            + " each step one of "
                            + ACTIONS.keySet());
        }
        List<Step> steps = new ArrayList<>();
        int n = 0;
        for (JsonNode node : list) {
            n++;
            steps.add(step(n, node, dataDir, loader));
        }
        return new Scenario(name, steps);
    }

    private static Step step(int number, JsonNode node, Path dataDir, ClassLoader loader) {
        String action;
        JsonNode value = null;
        Expectation expect = Expectation.SUCCESS;
        String label = null;
        if (node.isTextual()) {
            action = node.asText();
        } else if (node.isObject()) {
            Set<String> keys = fieldNames(node);
            if (keys.contains("expect")) {
                expect = Expectation.parse(number, node.get("expect").asText());
            }
            if (keys.contains("name")) {
                label = node.get("name").asText();
            }
            keys.removeAll(Set.of("expect", "name"));
            if (keys.size() != 1) {
                throw new UsageException(
                        "step "
                                + number
                                + ": has "
                                + (keys.isEmpty() ? "no action" : "several actions " + keys)
                                + "; accepted: exactly one of "
                                + ACTIONS.keySet()
                                + ", plus optional expect and name");
            }
            action = keys.iterator().next();
            value = node.get(action);
        } else {
            throw new UsageException(
                    "step "
                            + number
                            + ": "
                            + node
                            + " is neither an action name nor a map; accepted: "
                            + ACTIONS.keySet());
        }
        List<String> accepted = ACTIONS.get(action);
        if (accepted == null) {
            throw new UsageException(
                    "step "
                            + number
                            + ": action \""
                            + action
                            + "\" is unknown; accepted: "
                            + ACTIONS.keySet());
        }
        Args args = new Args(number, action, value, accepted);
        return new Step(number, label, expect, compile(args, dataDir, loader));
    }

    private static ScenarioAction compile(Args a, Path dataDir, ClassLoader loader) {
        return switch (a.action) {
            case "boot" -> {
                int workers = a.integer("workers", Runtime.getRuntime().availableProcessors());
                int rangesPerWorker =
                        a.integer("rangesPerWorker", EngineConfig.DEFAULT_RANGES_PER_WORKER);
                List<NamespaceSpec> specs = new ArrayList<>();
                for (String s : a.texts("namespaces")) {
                    specs.add(a.spec(s, dataDir, loader));
                }
                EngineConfig config;
                try {
                    config =
                            Setup.config(
                                    a.text("arch", "x86_64"),
                                    workers,
                                    rangesPerWorker,
                                    a.text("strategy", EngineConfig.DEFAULT_STRATEGY),
                                    a.text("pageInit", "fields"),
                                    a.integer("nodes", 0),
                                    loader);
                    Setup.checkNamespaces(specs, loader);
                    Setup.checkNodes(specs, config);
                } catch (UsageException e) {
                    throw a.bad(e.getMessage()); // name the step, as every other check does
                }
                yield new ScenarioAction.Boot(config, specs);
            }
            case "create" -> {
                NamespaceSpec spec = a.spec(a.required("spec"), dataDir, loader);
                yield new ScenarioAction.Create(spec);
            }
            case "destroy" -> new ScenarioAction.Destroy(a.required("namespace"));
            case "enable" -> new ScenarioAction.Enable(a.required("namespace"));
            case "disable" -> new ScenarioAction.Disable(a.required("namespace"));
            case "hold" -> {
                a.none();
                yield new ScenarioAction.Hold();
            }
            case "release" -> {
                a.none();
                yield new ScenarioAction.Release();
            }
            case "access" -> {
                String ns = a.required("namespace");
                String dev = a.text("device", null);
                List<Long> offsets = a.pageAligned(a.sizes("offset", List.of(0L)), "offset");
                long size =
                        a.pageAligned(List.of(a.size("size", Pages.PAGE_SIZE)), "size").getFirst();
                boolean pfn = a.bool("pfn", true);
                yield new ScenarioAction.Access(ns, dev, offsets, size, pfn);
            }
            case "fault" -> {
                String ns = a.required("namespace");
                String dev = a.text("device", null);
                List<Long> offsets = a.sizes("offset", List.of(0L));
                Long size = a.has("size") ? a.size("size", 0) : null;
                yield new ScenarioAction.Fault(ns, dev, offsets, size);
            }
            case "write", "read" -> {
                String ns = a.required("namespace");
                String dev = a.text("device", null);
                long offset = a.size("offset", 0);
                byte[] bytes = a.bytes();
                yield a.action.equals("write")
                        ? new ScenarioAction.Write(ns, dev, offset, bytes)
                        : new ScenarioAction.Read(ns, dev, offset, bytes);
            }
            case "badblocks" -> {
                String ns = a.required("namespace");
                List<BadSectorRange> add = a.sectors("add");
                List<BadSectorRange> clear = a.sectors("clear");
                if (add.isEmpty() && clear.isEmpty()) {
                    throw a.bad("needs add: or clear: with SECTOR[+COUNT],...");
                }
                yield new ScenarioAction.Badblocks(ns, add, clear);
            }
            case "inject" -> {
                if (a.bool("reset", false)) {
                    yield ScenarioAction.Inject.reset();
                }
                String level = a.required("level").toUpperCase(Locale.ROOT);
                VmemmapLevel l;
                try {
                    l = VmemmapLevel.valueOf(level);
                } catch (IllegalArgumentException e) {
                    throw a.bad(
                            "level "
                                    + level
                                    + " is unknown; accepted: "
                                    + Arrays.stream(VmemmapLevel.values())
                                            .map(v -> v.name().toLowerCase(Locale.ROOT))
                                            .toList());
                }
                int skip = a.integer("skip", 0);
                if (skip < 0) {
                    throw a.bad("skip " + skip + " is negative; accepted: 0 or more");
                }
                yield new ScenarioAction.Inject(l, skip);
            }
            case "memmap_state" -> {
                String ns = a.required("namespace");
                String read = a.text("read", null);
                String write = a.text("write", null);
                String via = a.text("via", "attribute");
                if (read != null && !read.equals("active") && !read.equals("idle")) {
                    throw a.bad("read: " + read + " is not a state; accepted: active, idle");
                }
                if (!via.equals("attribute") && !via.equals("jmx")) {
                    throw a.bad("via: " + via + " is unknown; accepted: attribute, jmx");
                }
                yield new ScenarioAction.MemmapState(ns, read, write, via.equals("jmx"));
            }
            case "wait" -> {
                String ns = a.text("namespace", null);
                long timeoutMs = a.millis("timeout", 60_000);
                yield new ScenarioAction.Wait(ns, timeoutMs);
            }
            case "verify" -> {
                String ns = a.text("namespace", null);
                boolean sync = a.bool("sync", true);
                yield new ScenarioAction.Verify(ns, sync);
            }
            case "teardown" -> {
                a.none();
                yield new ScenarioAction.Teardown();
            }
            case "restart" -> {
                a.none();
                yield new ScenarioAction.Restart();
            }
            default -> throw new IllegalStateException(a.action);
        };
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> keys = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }

    /** A step's arguments with typed, checked accessors. */
    private static final class Args {
        final int number;
        final String action;
        final JsonNode map;
        final List<String> accepted;

        Args(int number, String action, JsonNode value, List<String> accepted) {
            this.number = number;
            this.action = action;
            this.accepted = accepted;
            if (value == null || value.isNull()) {
                map = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            } else if (value.isObject()) {
                map = value;
                Set<String> unknown = fieldNames(value);
                unknown.removeAll(accepted);
                if (!unknown.isEmpty()) {
                    throw bad(
                            "argument(s) "
                                    + unknown
                                    + " unknown; accepted: "
                                    + (accepted.isEmpty() ? "none" : accepted));
                }
            } else if (!accepted.isEmpty()) {
                var m = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                m.set(accepted.getFirst(), value);
                map = m;
            } else {
                throw bad("takes no arguments, got " + value);
            }
        }

        UsageException bad(String what) {
            return new UsageException("step " + number + " (" + action + "): " + what);
        }

        void none() {
            if (!map.isEmpty()) {
                throw bad("takes no arguments");
            }
        }

        boolean has(String key) {
            return map.has(key) && !map.get(key).isNull();
        }

        String required(String key) {
            if (!has(key) || !map.get(key).isValueNode()) {
                throw bad("needs " + key + ": (accepted arguments: " + accepted + ")");
            }
            return map.get(key).asText();
        }

        String text(String key, String fallback) {
            return has(key) ? map.get(key).asText() : fallback;
        }

        List<String> texts(String key) {
            if (!has(key)) {
                return List.of();
            }
            JsonNode n = map.get(key);
            if (!n.isArray()) {
                return List.of(n.asText());
            }
            List<String> out = new ArrayList<>();
            n.forEach(e -> out.add(e.asText()));
            return out;
        }

        int integer(String key, int fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonNode n = map.get(key);
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                throw bad(key + ": " + n + " is not a whole number");
            }
            return n.asInt();
        }

        boolean bool(String key, boolean fallback) {
            if (!has(key)) {
                return fallback;
            }
            JsonNode n = map.get(key);
            String t = n.asText();
            if (!n.isBoolean() && !t.equals("true") && !t.equals("false")) {
                throw bad(key + ": " + n + " is not true or false");
            }
            return n.isBoolean() ? n.asBoolean() : Boolean.parseBoolean(t);
        }

        long size(String key, long fallback) {
            return has(key) ? parseSize(key, map.get(key).asText()) : fallback;
        }

        List<Long> sizes(String key, List<Long> fallback) {
            if (!has(key)) {
                return fallback;
            }
            return texts(key).stream().map(t -> parseSize(key, t)).toList();
        }

        private long parseSize(String key, String text) {
            try {
                return Sizes.parse(text);
            } catch (ZoneDeviceException e) {
                throw bad(key + ": " + e.getMessage());
            }
        }

        List<Long> pageAligned(List<Long> values, String key) {
            for (long v : values) {
                if (v % Pages.PAGE_SIZE != 0 || (key.equals("size") && v == 0)) {
                    throw bad(
                            key
                                    + ": "
                                    + v
                                    + " is not a "
                                    + (key.equals("size") ? "positive " : "")
                                    + "multiple of 4K; accepted: whole pages, e.g. 4K, 2M");
                }
            }
            return values;
        }

        long millis(String key, long fallback) {
            if (!has(key)) {
                return fallback;
            }
            String t = map.get(key).asText().strip().toLowerCase(Locale.ROOT);
            Matcher m = DURATION.matcher(t);
            if (m.matches()) {
                try {
                    long n = Long.parseLong(m.group(1));
                    long ms =
                            "ms".equals(m.group(2))
                                    ? n
                                    : n <= MAX_TIMEOUT_MS / 1000 ? n * 1000 : -1;
                    if (ms >= 0 && ms <= MAX_TIMEOUT_MS) {
                        return ms;
                    }
                } catch (NumberFormatException e) {
                    // ASCII digits only, so more than a long holds: out of range, reported below
                }
            }
            throw bad(
                    key
                            + ": "
                            + t
                            + " is not a duration in range; accepted: 0 to 86400 seconds, as N (seconds),"
                            + " Ns or Nms");
        }

        NamespaceSpec spec(String text, Path dataDir, ClassLoader loader) {
            try {
                NamespaceSpec spec = NamespaceArg.parse(text, dataDir);
                Setup.checkDriver(
                        spec,
                        dev.zonedev.core.ArchDiscovery.load(
                                dev.zonedev.api.NamespaceDriver.class, loader));
                return spec;
            } catch (UsageException e) {
                throw bad(e.getMessage());
            }
        }

        /**
         * The bytes of a write, or the expected bytes of a read: {@code data:} text or {@code
         * fill:}+{@code length:}.
         */
        byte[] bytes() {
            if (has("data") == has("fill")) {
                throw bad("needs exactly one of data: TEXT or fill: BYTE with length: SIZE");
            }
            if (has("data")) {
                if (has("length")) {
                    throw bad("length: goes with fill:, not with data:");
                }
                byte[] b = map.get("data").asText().getBytes(StandardCharsets.UTF_8);
                if (b.length == 0) {
                    throw bad("data: is empty");
                }
                return b;
            }
            int fill;
            String f = map.get("fill").asText().strip();
            // decimal or 0x hex, as documented: Integer.decode would read "010" as octal 8, and
            // "#ff" or "+1"
            if (f.matches("[0-9]{1,3}")) {
                fill = Integer.parseInt(f);
            } else if (f.matches("0[xX][0-9a-fA-F]{1,2}")) {
                fill = Integer.parseInt(f.substring(2), 16);
            } else {
                fill = -1;
            }
            if (fill < 0 || fill > 255) {
                throw bad(
                        "fill: "
                                + map.get("fill").asText()
                                + " is not a byte; accepted: 0 to 255 or 0x00 to 0xff");
            }
            long length = size("length", Pages.PAGE_SIZE);
            if (length <= 0 || length > (64L << 20)) {
                throw bad("length: " + length + " is out of range; accepted: 1 to 64M");
            }
            byte[] b = new byte[(int) length];
            Arrays.fill(b, (byte) fill);
            return b;
        }

        List<BadSectorRange> sectors(String key) {
            List<BadSectorRange> out = new ArrayList<>();
            for (String t : texts(key)) {
                for (String item :
                        t.split(",", -1)) { // -1: a trailing comma is an empty item, refused
                    try {
                        out.add(BadSectorRange.parse(item));
                    } catch (ZoneDeviceException e) {
                        throw bad(key + ": " + e.getMessage());
                    }
                }
            }
            return out;
        }
    }
}
