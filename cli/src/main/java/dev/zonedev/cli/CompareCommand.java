package dev.zonedev.cli;

import dev.zonedev.core.EngineConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code zonedev compare}: the same namespaces and workload once per combination of the varied
 * settings and round, each on a fresh platform, reported side by side. Every combination is checked
 * before any runs (exit 2, nothing created).
 */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Run the same namespaces and fault workload once for every combination of",
            "the --vary settings, in one process: an untimed warm-up round, then --rounds",
            "timed rounds in alternating order. Each run gets a fresh platform; its",
            "namespaces are destroyed after it (memory released, created files removed).",
            "Reports per combination the median [min-max] over the rounds of: available",
            "after, fully initialized after, first-pfn latency p50/p99/max, pages in",
            "foreground, ns per page, memmap bytes resident and in RAM, and the audit;",
            "* marks the best of each figure. Every combination is checked before any",
            "runs (exit 2, nothing created).",
            "KEY: strategy, page-init, workers, ranges-per-worker, arch, and the namespace",
            "options map, align, mode, nid (set in every --namespace)."
        })
final class CompareCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Zonedev parent;

    @Mixin PluginOptions plugins = new PluginOptions();

    @Option(
            names = "--arch",
            paramLabel = "NAME",
            defaultValue = "x86_64",
            description = "Arch plugin unless varied. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "Workers per pagemap unless varied, 1 to 1024. Default: the cores.")
    Integer workers;

    @Option(
            names = "--ranges-per-worker",
            paramLabel = "N",
            defaultValue = "128",
            description =
                    "Sub-ranges per worker unless varied, 1 to 1048576. Default: ${DEFAULT-VALUE}.")
    int rangesPerWorker;

    @Option(
            names = "--strategy",
            paramLabel = "NAME",
            defaultValue = EngineConfig.DEFAULT_STRATEGY,
            description = "Memmap strategy plugin unless varied. Default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(
            names = "--page-init",
            paramLabel = "fields|template",
            defaultValue = "fields",
            description =
                    "How struct pages are written unless varied: fields or template. Default:"
                            + " ${DEFAULT-VALUE}.")
    String pageInit;

    @Option(
            names = "--nodes",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "NUMA topology: 0 for the machine's (default), 1 to 1024 for a simulated one of"
                            + " N nodes; every nid= (also a varied one) must be one of its nodes.")
    int nodes;

    @Option(
            names = "--namespace",
            paramLabel = "SPEC",
            required = true,
            description = {"Repeatable, as for boot: " + NamespaceArg.FORMAT})
    List<String> namespaces = new ArrayList<>();

    @Option(
            names = "--workload",
            paramLabel = "SPEC",
            description =
                    "Faults with a pfn per namespace while the memmap initializes: "
                            + WorkloadArg.FORMAT
                            + ". Default: none.")
    String workload;

    @Option(
            names = "--vary",
            paramLabel = "KEY=V1,V2,...",
            description =
                    "Repeatable: a setting and its values; every combination of all --vary runs."
                            + " KEY: strategy, page-init, workers, ranges-per-worker, arch, map, align, mode, nid.")
    List<String> varies = new ArrayList<>();

    @Option(
            names = "--strategies",
            paramLabel = "A,B,...",
            description = "Short for --vary strategy=A,B,...")
    String strategies;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            defaultValue = "3",
            description = "Timed rounds, 1 to 100. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--json", description = "Print the report as JSON instead of the table.")
    boolean json;

    @Option(
            names = "--report",
            paramLabel = "FILE.html",
            description =
                    "Write one self-contained HTML page: a bar chart per figure and each"
                            + " combination's timeline.")
    Path report;

    @Option(
            names = "--no-progress",
            negatable = false,
            description = "Print no line per run on stderr.")
    boolean noProgress;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Relative file= paths resolve here. Default: the current directory.")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        return Zonedev.usage(
                spec,
                () -> {
                    ComparePlan plan = plan();
                    return new CompareRunner(
                                    plan, Zonedev.out(spec), noProgress ? null : Zonedev.err(spec))
                            .run();
                });
    }

    /** Everything checked: the cases to run, or a {@link UsageException}. */
    ComparePlan plan() {
        ClassLoader loader = PluginOptions.loader(plugins, parent == null ? null : parent.plugins);
        if (rounds < 1 || rounds > 100) {
            throw new UsageException("--rounds " + rounds + " is out of range; accepted: 1 to 100");
        }
        int w = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        EngineConfig base =
                Setup.config(arch, w, rangesPerWorker, strategy, pageInit, nodes, loader);
        List<Vary> parsed = new ArrayList<>();
        if (strategies != null) {
            parsed.add(Vary.parse("strategy=" + strategies, loader));
        }
        for (String v : varies) {
            parsed.add(Vary.parse(v, loader));
        }
        if (parsed.isEmpty()) {
            throw new UsageException(
                    "compare needs at least one --vary KEY=V1,V2,... (or --strategies); accepted"
                            + " keys: "
                            + VaryKeys.names(loader));
        }
        List<Combination> combinations = Combination.all(parsed);
        List<CompareCase> cases = CompareCases.of(combinations, base, namespaces, dataDir, loader);
        WorkloadArg load = workload == null ? null : WorkloadArg.parse(workload);
        if (report != null) {
            Setup.checkOutput("--report", report);
        }
        return new ComparePlan(
                base,
                namespaces.stream().map(String::strip).toList(),
                load,
                parsed.stream().map(Vary::render).toList(),
                cases,
                rounds,
                json,
                report);
    }

    /** The line printed on stderr after each run. */
    static void progress(PrintWriter err, String round, CompareCase c, RunFigures f) {
        if (err != null) {
            err.printf(
                    Locale.ROOT,
                    "compare: %s %s: available after %.1f ms, fully initialized after %.1f ms%n",
                    round,
                    c.combination().label(),
                    f.availableMs(),
                    f.initializedMs());
            err.flush();
        }
    }
}
