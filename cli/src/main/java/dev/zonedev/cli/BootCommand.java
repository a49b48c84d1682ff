package dev.zonedev.cli;

import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.NamespaceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code zonedev boot}: a platform with the given arch, namespaces and workload, reported and torn
 * down.
 */
@Command(
        name = "boot",
        mixinStandardHelpOptions = true,
        description = {
            "Boot a platform, create namespaces, run a fault workload while their memmaps initialize,",
            "then report (summary table, or JSON with --json) and tear down.",
            "Sizes and alignments take binary suffixes K, M, G, T."
        })
final class BootCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Zonedev parent;

    @Mixin PluginOptions plugins = new PluginOptions();

    @Option(
            names = "--arch",
            paramLabel = "NAME",
            defaultValue = "x86_64",
            description =
                    "Arch plugin: x86_64 (async), generic (refuses async; sync fallback), or a plugin's. Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(
            names = "--strategy",
            paramLabel = "NAME",
            defaultValue = EngineConfig.DEFAULT_STRATEGY,
            description =
                    "Memmap strategy plugin: seed (N workers, static slices, foreground sync), upstream (one pass,"
                            + " no foreground sync), padata (dynamic chunks), seed+padata, or a plugin's."
                            + " Default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description =
                    "Background memmap workers per pagemap, 1 to 1024. Default: the number of cores.")
    Integer workers;

    @Option(
            names = "--ranges-per-worker",
            paramLabel = "N",
            defaultValue = "128",
            description =
                    "At least this many sub-ranges per worker, 1 to 1048576. Default: ${DEFAULT-VALUE}.")
    int rangesPerWorker;

    @Option(
            names = "--page-init",
            paramLabel = "fields|template",
            defaultValue = "fields",
            description =
                    "How struct pages are written: fields (each word stored) or template (one template"
                            + " page per pagemap copied into each page). Default: ${DEFAULT-VALUE}.")
    String pageInit;

    @Option(
            names = "--nodes",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "NUMA topology: 0 for the machine's (default), 1 to 1024 for a simulated one of N"
                            + " nodes. A namespace's nid= must be one of its nodes; workers are placed on"
                            + " it (bound on a real multi-node host, recorded otherwise).")
    int nodes;

    @Option(
            names = "--namespace",
            paramLabel = "SPEC",
            required = true,
            description = {
                "Repeatable. " + NamespaceArg.FORMAT,
                "size: a multiple of 2M; mode default fsdax; map default mem; align default 2M (4K, 2M or 1G for fsdax/devdax).",
                "file: created sparse, or reopened when it holds a zonedev namespace or only zeros, and locked for this process"
                        + " while the namespace exists (another owner gets EBUSY with its pid). An existing file holding other"
                        + " data is refused and left untouched unless force=true, which overwrites it."
            })
    List<String> namespaces = new ArrayList<>();

    @Option(
            names = "--workload",
            paramLabel = "SPEC",
            description =
                    "Faults with a pfn per namespace while the memmap initializes: "
                            + WorkloadArg.FORMAT
                            + ".")
    String workload;

    @Option(
            names = "--verify",
            description =
                    "After initialization, audit every struct page, every pageblock and every sub-range's exactly-once record; exit 1 when bad.")
    boolean verify;

    @Option(
            names = "--json",
            description = "Print the report as JSON on stdout (see README) instead of the table.")
    boolean json;

    @Option(
            names = "--report",
            paramLabel = "FILE.html",
            description =
                    "Write the timeline picture (per worker, which sub-ranges it initialized and when).")
    Path report;

    @Option(
            names = "--jfr",
            paramLabel = "FILE.jfr",
            description =
                    "Record the engine's JFR events (VmemmapPopulate, SubRangeInit, MemmapSyncWait, MemmapPassWait) to FILE.")
    Path jfr;

    @Option(
            names = "--stay",
            description = "Keep running until interrupted, with memmap_state MBeans registered.")
    boolean stay;

    @Option(
            names = "--jmx",
            description =
                    "Register memmap_state MBeans while the run goes on (--stay always does).")
    boolean jmx;

    @Option(
            names = "--no-progress",
            negatable = false,
            description = "Draw no progress bars on stderr.")
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
                    ClassLoader loader = PluginOptions.loader(plugins, parent.plugins);
                    int w = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
                    EngineConfig config =
                            Setup.config(
                                    arch, w, rangesPerWorker, strategy, pageInit, nodes, loader);
                    List<NamespaceSpec> specs = new ArrayList<>();
                    for (String n : namespaces) {
                        specs.add(NamespaceArg.parse(n, dataDir));
                    }
                    Setup.checkNamespaces(specs, loader);
                    config = Setup.sizedFor(config, specs);
                    Setup.checkNodes(specs, config);
                    WorkloadArg load = workload == null ? null : WorkloadArg.parse(workload);
                    if (report != null) {
                        Setup.checkOutput("--report", report);
                    }
                    if (jfr != null) {
                        Setup.checkOutput("--jfr", jfr);
                    }
                    BootRun.Plan plan =
                            new BootRun.Plan(
                                    config,
                                    specs,
                                    load,
                                    verify,
                                    json,
                                    report,
                                    jfr,
                                    stay,
                                    !noProgress,
                                    jmx);
                    return new BootRun(plan, Zonedev.out(spec), Zonedev.err(spec), parent.stay)
                            .run();
                });
    }
}
