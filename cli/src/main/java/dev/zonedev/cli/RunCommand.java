package dev.zonedev.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code zonedev run SCENARIO.yaml}: a scripted integration run, one JSON result per step. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run a scenario (YAML, see README): one JSON line per step on stdout; exit 1 when any",
            "step's outcome differs from what it expects, 2 when the scenario itself is bad (nothing runs)."
        })
final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Zonedev parent;

    @Mixin PluginOptions plugins = new PluginOptions();

    @Parameters(paramLabel = "SCENARIO.yaml", description = "The scenario file.")
    Path scenario;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = ".",
            description =
                    "Relative file= paths of the scenario resolve here. Default: the current directory.")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        return Zonedev.usage(
                spec,
                () -> {
                    ClassLoader loader = PluginOptions.loader(plugins, parent.plugins);
                    Scenario s = Scenario.load(scenario, dataDir, loader);
                    return new ScenarioRunner(s, loader, Zonedev.out(spec), Zonedev.err(spec))
                            .run();
                });
    }
}
