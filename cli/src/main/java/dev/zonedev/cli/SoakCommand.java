package dev.zonedev.cli;

import dev.zonedev.api.Arch;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.ArchDiscovery;
import dev.zonedev.core.Sizes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code zonedev soak}: random operations on several threads against every arch (and strategy), the
 * invariants checked after each step; see {@link Soak}. Exit 0 when nothing broke, 1 on the first
 * failure (with the replay command), 2 on bad input.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description =
                "Run random operations (create, destroy, enable, disable, faults, direct access, sync,"
                        + " hold/release, injected allocation failures, interrupts, bad input, teardown and restart of"
                        + " file-backed namespaces) on several threads against every arch, checking the invariants and the"
                        + " data written after each step. Prints counts at the end; on a failure the step, the invariant and"
                        + " the replay command. Exit codes: 0 passed, 1 a failure, 2 bad input.")
final class SoakCommand implements Callable<Integer> {
    static final int MAX_MINUTES = 10_080;
    static final long MAX_OPERATIONS = 1_000_000_000L;
    static final int MAX_THREADS = 64;
    static final String FAILURE_LOG_LEVEL =
            "org.slf4j.simpleLogger.log.dev.zonedev.core.FailureLog";

    @Spec CommandSpec spec;

    @ParentCommand Zonedev parent;

    @Mixin PluginOptions plugins = new PluginOptions();

    @Option(
            names = "--minutes",
            paramLabel = "N",
            description =
                    "Run for N minutes, 1 to "
                            + MAX_MINUTES
                            + ". Default: 1 when --operations is not given either.")
    Integer minutes;

    @Option(
            names = "--operations",
            paramLabel = "K",
            description =
                    "Stop after K operations in all (split evenly over the threads), 1 to "
                            + MAX_OPERATIONS
                            + ". With --minutes, whichever comes first.")
    Long operations;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description =
                    "Seed of every thread's random schedule. Default: a random one (printed).")
    Long seed;

    @Option(
            names = "--threads",
            paramLabel = "T",
            defaultValue = "4",
            description = "Operation threads, 1 to " + MAX_THREADS + ". Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Where file-backed namespaces live (an existing directory; the soak's files are removed at"
                            + " the end of a run that passed). Default: a new directory under java.io.tmpdir.")
    Path dataDir;

    @Option(
            names = "--max-size",
            paramLabel = "SIZE",
            defaultValue = "1G",
            description = "Largest namespace, 4M to 16G. Default: ${DEFAULT-VALUE}.")
    String maxSize;

    @Option(
            names = "--exclude",
            paramLabel = "KIND",
            split = ",",
            description = "Operation kinds not to run (comma-separated): " + Soak.KINDS + ".")
    List<String> exclude = new ArrayList<>();

    @Option(
            names = "--hang-seconds",
            paramLabel = "N",
            defaultValue = "120",
            description =
                    "An operation running longer than this is a hang (failure), 5 to 3600. Default: ${DEFAULT-VALUE}.")
    int hangSeconds;

    @Option(names = "--json", description = "Print the totals as JSON on stdout.")
    boolean json;

    @Option(names = "--no-progress", negatable = false, description = "No progress line on stderr.")
    boolean noProgress;

    @Override
    public Integer call() throws InterruptedException {
        return Zonedev.usage(
                spec,
                () -> {
                    ClassLoader loader = PluginOptions.loader(plugins, parent.plugins);
                    Soak.Plan plan = plan(loader);
                    // the soak injects failures on purpose and checks them itself: the engine's
                    // warning with a stack
                    // trace for each would drown stderr (the failure log keeps them; set the
                    // property to see them)
                    if (System.getProperty(FAILURE_LOG_LEVEL) == null) {
                        System.setProperty(FAILURE_LOG_LEVEL, "off");
                    }
                    return new Soak(plan, Zonedev.out(spec), Zonedev.err(spec), parent.soakBreach)
                            .run();
                });
    }

    Soak.Plan plan(ClassLoader loader) {
        if (minutes != null && (minutes < 1 || minutes > MAX_MINUTES)) {
            throw new UsageException(
                    "--minutes " + minutes + " is out of range; accepted: 1 to " + MAX_MINUTES);
        }
        if (operations != null && (operations < 1 || operations > MAX_OPERATIONS)) {
            throw new UsageException(
                    "--operations "
                            + operations
                            + " is out of range; accepted: 1 to "
                            + MAX_OPERATIONS);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new UsageException(
                    "--threads " + threads + " is out of range; accepted: 1 to " + MAX_THREADS);
        }
        if (hangSeconds < 5 || hangSeconds > 3600) {
            throw new UsageException(
                    "--hang-seconds " + hangSeconds + " is out of range; accepted: 5 to 3600");
        }
        long max;
        try {
            max = Sizes.parse(maxSize);
        } catch (ZoneDeviceException e) {
            throw new UsageException("--max-size " + maxSize + ": " + e.getMessage());
        }
        if (max < (4L << 20) || max > (16L << 30) || max % (2L << 20) != 0) {
            throw new UsageException(
                    "--max-size "
                            + maxSize
                            + " is out of range; accepted: a multiple of 2M from 4M to 16G");
        }
        Set<Soak.Kind> excluded = EnumSet.noneOf(Soak.Kind.class);
        for (String k : exclude) {
            excluded.add(Soak.Kind.parse(k.strip().toLowerCase(Locale.ROOT)));
        }
        if (excluded.contains(Soak.Kind.CREATE)) {
            throw new UsageException(
                    "--exclude create: every other operation needs namespaces; accepted: any kind but"
                            + " create");
        }
        Path dir = dataDir;
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UsageException(
                    "--data-dir " + dir + " is not a directory; accepted: an existing directory");
        }
        List<String> arches = new ArrayList<>();
        try {
            ArchDiscovery.load(Arch.class, loader).stream()
                    .map(Arch::name)
                    .sorted(Comparator.naturalOrder())
                    .forEach(arches::add);
        } catch (ZoneDeviceException e) {
            throw new UsageException(e.getMessage());
        }
        List<Soak.Target> targets = Soak.Target.all(arches);
        int mins = minutes != null ? minutes : operations != null ? 0 : 1;
        long s = seed != null ? seed : new SecureRandom().nextLong() >>> 1;
        return new Soak.Plan(
                s,
                mins,
                operations == null ? 0 : operations,
                threads,
                dir,
                max,
                excluded,
                hangSeconds,
                json,
                !noProgress,
                targets,
                loader,
                minutes != null,
                dataDir != null);
    }
}
