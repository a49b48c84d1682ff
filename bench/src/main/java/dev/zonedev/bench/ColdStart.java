package dev.zonedev.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold runs of the {@code zonedev} command against a native reference, as a user sees them: each
 * run is a fresh process, and engine runs alternate with runs of {@code coldref}, a small C program
 * (compiled here with the system {@code cc}/{@code gcc}, never committed as a binary) that does the
 * same memory work with the same workers and sub-ranges: one mmap, MADV_HUGEPAGE, a CAS per
 * sub-range and the same 64-byte writes per page. A JVM reference would pay the same warm-up and
 * hide it.
 *
 * <p>Scenarios: {@code 1g} and {@code 16g} ({@code zonedev boot --no-progress --namespace
 * n:size=SIZE --json}: addReturnedMs, initDoneMs and the process's wall time, against one pipeline)
 * and {@code default} (plain {@code zonedev}: the default job's "fully initialized after" of its
 * two 64 GiB namespaces, the larger of the two, and wall time, against two pipelines side by side).
 * Prints every run, then medians and ratios with the targets of issue 10.
 *
 * <p>Every timed run (engine or reference) is preceded by an untimed run of the reference of the
 * same size, which touches and frees as much huge-page memory as the memmap needs: on this machine
 * memory freed a while ago costs a host fault on its next touch (see "the machine" in
 * BENCHMARKS.md: the same 16 GiB memmap took 0.4 s or 4 s depending on it), and without priming
 * whichever run came second inherited the memory the first had just freed. {@code --no-prime} turns
 * it off. Priming favours the reference, though: it starts at once, while the engine's JVM takes a
 * second or two to reach its first create, and memory freed that long ago may already be back with
 * the host. {@code --settle S} waits S seconds before every timed run instead, so both meet memory
 * in the same (cold) state; use it with {@code --no-prime}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.zonedev.bench.ColdStart [--runs N] [--scenarios 1g,16g,default]
 *     [--zonedev "COMMAND PREFIX"] [--workers N]
 * </pre>
 *
 * {@code --zonedev} defaults to {@code ./zonedev} (run it from the repository); any command prefix
 * works, e.g. {@code "java -jar old.jar"} for a before/after comparison. The first engine run (AOT
 * cache training after a build) is not counted.
 */
public final class ColdStart {
    private static final Pattern ADD = Pattern.compile("\"addReturnedMs\"\\s*:\\s*([0-9.]+)");
    private static final Pattern INIT = Pattern.compile("\"initDoneMs\"\\s*:\\s*([0-9.]+)");
    private static final Pattern TABLE_INIT = Pattern.compile("([0-9.]+) ms");
    private static final Pattern REF_ADD = Pattern.compile("\"addMs\":([0-9.]+)");
    private static final Pattern REF_INIT = Pattern.compile("\"maxInitMs\":([0-9.]+)");

    /** One scenario: how to run the engine and the reference, and how many pipelines. */
    record Scenario(String name, List<String> engineArgs, long bytes, int pipelines) {}

    /** Medians of one scenario. */
    record Figures(
            String scenario,
            int runs,
            double addMs,
            double initMs,
            double wallMs,
            double refAddMs,
            double refInitMs) {
        double initRatio() {
            return initMs / refInitMs;
        }
    }

    private ColdStart() {}

    public static void main(String[] args) throws Exception {
        int runs = 7;
        List<String> zonedev = List.of("./zonedev");
        List<String> names = List.of("1g", "16g", "default");
        int workers = Runtime.getRuntime().availableProcessors();
        boolean prime = true;
        double settle = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--zonedev" -> zonedev = Arrays.asList(args[++i].trim().split("\\s+"));
                case "--scenarios" -> names = Arrays.asList(args[++i].split(","));
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--no-prime" -> prime = false;
                case "--settle" -> settle = Double.parseDouble(args[++i]);
                default -> {
                    System.err.println(
                            "usage: ColdStart [--runs N] [--scenarios 1g,16g,default] [--zonedev \"CMD\"]"
                                    + " [--workers N] [--no-prime] [--settle SECONDS]");
                    System.exit(2);
                }
            }
        }
        Path ref = compileReference();
        List<Figures> all = new ArrayList<>();
        System.out.printf(
                Locale.ROOT,
                "ColdStart: %d alternating runs per scenario, %d workers, %s, %s s settle,"
                        + " zonedev = %s%n",
                runs,
                workers,
                prime ? "memory primed before each run" : "no priming",
                settle,
                String.join(" ", zonedev));
        runEngine(
                zonedev,
                scenario("1g", workers)
                        .engineArgs()); // trains the AOT cache after a build; not counted
        for (String name : names) {
            all.add(measure(scenario(name, workers), zonedev, ref, workers, runs, prime, settle));
        }
        print(all);
    }

    /** {@code zonedev boot} of one namespace of {@code size} with JSON output, one pipeline. */
    private static Scenario boot(String name, String workers, String size, long bytes) {
        return new Scenario(
                name,
                List.of(
                        "boot",
                        workers,
                        "--no-progress",
                        "--namespace",
                        "n:size=" + size,
                        "--json"),
                bytes,
                1);
    }

    static Scenario scenario(String name, int workers) {
        String w = "--workers=" + workers;
        return switch (name) {
            case "1g" -> boot(name, w, "1G", 1L << 30);
            case "16g" -> boot(name, w, "16G", 16L << 30);
            case "default" -> new Scenario(name, List.of(), 64L << 30, 2);
            default ->
                    throw new IllegalArgumentException(
                            "unknown scenario " + name + "; accepted: 1g, 16g, default");
        };
    }

    private static Figures measure(
            Scenario s,
            List<String> zonedev,
            Path ref,
            int workers,
            int runs,
            boolean prime,
            double settle)
            throws IOException, InterruptedException {
        List<Double> add = new ArrayList<>();
        List<Double> init = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        List<Double> refAdd = new ArrayList<>();
        List<Double> refInit = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            // alternate which goes first, so neither always meets the machine in the same state
            double[] e = null;
            double[] n = null;
            for (int k = 0; k < 2; k++) {
                if (prime) {
                    referenceRun(
                            s, ref,
                            workers); // untimed: touch and free the memory the next run needs
                }
                if (settle > 0) {
                    Thread.sleep((long) (settle * 1000)); // the same memory state for both runs
                }
                if ((k == 0) == (r % 2 == 0)) {
                    e = engineRun(s, zonedev);
                } else {
                    n = referenceRun(s, ref, workers);
                }
            }
            add.add(e[0]);
            init.add(e[1]);
            wall.add(e[2]);
            refAdd.add(n[0]);
            refInit.add(n[1]);
            System.out.printf(
                    Locale.ROOT,
                    "  %-7s run %d: engine add %s ms, init %.1f ms, wall %.0f ms;"
                            + " reference add %.2f ms, init %.1f ms%n",
                    s.name(),
                    r + 1,
                    Double.isNaN(e[0]) ? "-" : String.format(Locale.ROOT, "%.2f", e[0]),
                    e[1],
                    e[2],
                    n[0],
                    n[1]);
        }
        return new Figures(
                s.name(),
                runs,
                median(add),
                median(init),
                median(wall),
                median(refAdd),
                median(refInit));
    }

    /**
     * {add ms (NaN for the default job's table), init ms (the larger of several namespaces), wall
     * ms}.
     */
    private static double[] engineRun(Scenario s, List<String> zonedev)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String out = runEngine(zonedev, s.engineArgs());
        double wall = (System.nanoTime() - t0) / 1e6;
        if (s.engineArgs().isEmpty()) {
            String row =
                    out.lines()
                            .filter(l -> l.startsWith("fully initialized after"))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "no 'fully initialized after' row in:\n"
                                                            + out));
            return new double[] {Double.NaN, max(TABLE_INIT, row), wall};
        }
        return new double[] {max(ADD, out), max(INIT, out), wall};
    }

    private static double[] referenceRun(Scenario s, Path ref, int workers)
            throws IOException, InterruptedException {
        String out =
                run(
                        List.of(
                                ref.toString(),
                                Long.toString(s.bytes()),
                                Integer.toString(workers),
                                "128",
                                Integer.toString(s.pipelines())),
                        null);
        return new double[] {max(REF_ADD, out), max(REF_INIT, out)};
    }

    private static String runEngine(List<String> zonedev, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(zonedev);
        cmd.addAll(args);
        return run(cmd, null);
    }

    static String run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n" + out);
        }
        return out;
    }

    /** Compiles coldref.c from this jar into a temporary directory with the system C compiler. */
    static Path compileReference() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("zonedev-coldref");
        Path source = dir.resolve("coldref.c");
        try (InputStream in = ColdStart.class.getResourceAsStream("coldref.c")) {
            if (in == null) {
                throw new IllegalStateException("coldref.c is missing from the jar");
            }
            Files.copy(in, source);
        }
        Path binary = dir.resolve("coldref");
        String cc = System.getenv().getOrDefault("CC", "gcc");
        run(List.of(cc, "-O2", "-pthread", "-o", binary.toString(), source.toString()), dir);
        binary.toFile().deleteOnExit();
        source.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return binary;
    }

    private static double max(Pattern p, String text) {
        Matcher m = p.matcher(text);
        double max = Double.NaN;
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            max = Double.isNaN(max) ? v : Math.max(max, v);
        }
        if (Double.isNaN(max)) {
            throw new IllegalStateException("no " + p + " in:\n" + text);
        }
        return max;
    }

    static double median(List<Double> values) {
        double[] v =
                values.stream()
                        .mapToDouble(Double::doubleValue)
                        .filter(d -> !Double.isNaN(d))
                        .sorted()
                        .toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void print(List<Figures> all) {
        System.out.println();
        System.out.println(
                "scenario  runs  add ms  init ms  ref add ms  ref init ms  init/ref  wall ms");
        Map<String, String> targets = new LinkedHashMap<>();
        for (Figures f : all) {
            System.out.printf(
                    Locale.ROOT,
                    "%-8s  %4d  %6s  %7.1f  %10.2f  %11.1f  %8.2f  %7.0f%n",
                    f.scenario(),
                    f.runs(),
                    Double.isNaN(f.addMs()) ? "-" : String.format(Locale.ROOT, "%.2f", f.addMs()),
                    f.initMs(),
                    f.refAddMs(),
                    f.refInitMs(),
                    f.initRatio(),
                    f.wallMs());
            switch (f.scenario()) {
                case "1g" -> {
                    targets.put(
                            "1 GiB addReturnedMs <= 10 ms",
                            verdict(f.addMs() <= 10, "%.2f ms", f.addMs()));
                    targets.put(
                            "1 GiB initDoneMs <= 5 x reference",
                            verdict(f.initRatio() <= 5, "%.2f x", f.initRatio()));
                    targets.put(
                            "1 GiB wall <= 500 ms",
                            verdict(f.wallMs() <= 500, "%.0f ms", f.wallMs()));
                }
                case "16g" ->
                        targets.put(
                                "16 GiB initDoneMs <= 1.5 x reference",
                                verdict(f.initRatio() <= 1.5, "%.2f x", f.initRatio()));
                case "default" ->
                        targets.put(
                                "default job fully initialized <= 1.5 x two references side by side",
                                verdict(f.initRatio() <= 1.5, "%.2f x", f.initRatio()));
                default -> {}
            }
        }
        System.out.println();
        targets.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-70s %s%n", k, v));
    }

    private static String verdict(boolean pass, String format, double value) {
        return String.format(Locale.ROOT, format, value) + (pass ? " PASS" : " MISS");
    }
}
