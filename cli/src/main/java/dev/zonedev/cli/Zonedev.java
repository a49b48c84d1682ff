package dev.zonedev.cli;

import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.EngineWarmUp;
import dev.zonedev.core.NamespaceSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code zonedev} command. Without a subcommand it runs the main job on the embedded default:
 * x86_64, two namespaces in anonymous memory (an fsdax pfn device and a device-dax region with 2
 * MiB alignment), a fault workload while their memmaps initialize, progress bars, every struct page
 * verified, a summary table and a timeline picture. Exit codes: 0 success, 1 a failure at run time,
 * 2 bad input (nothing created).
 */
@Command(
        name = "zonedev",
        mixinStandardHelpOptions = true,
        version = "zonedev 0.1.0",
        description = {
            "Asynchronous ZONE_DEVICE memmap initialization with on-demand memmapSync, in user space.",
            "Without a command: the main job on the embedded default (two 64 GiB namespaces, fsdax and devdax)."
        },
        subcommands = {
            BootCommand.class,
            CompareCommand.class,
            ListCommand.class,
            RunCommand.class,
            SoakCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:success",
            "1:a failure at run time (an audit found bad pages, an expectation failed, ...)",
            "2:bad input: an option, namespace spec or scenario (nothing was created)"
        })
public final class Zonedev implements Callable<Integer> {
    /** Size of each default namespace: measured to take a few seconds with 2 workers on 2 cores. */
    static final String DEFAULT_SIZE = "64G";

    private static volatile boolean shuttingDown;

    @Spec CommandSpec spec;

    @Mixin PluginOptions plugins = new PluginOptions();

    /** Where the default job writes its timeline picture (tests point it elsewhere). */
    Path defaultReport = Path.of(System.getProperty("java.io.tmpdir"), "zonedev-timeline.html");

    /** Namespace size of the default job (tests make it small). */
    String defaultSize = DEFAULT_SIZE;

    /** How {@code --stay} waits (tests answer at once). */
    BootRun.Stay stay = Zonedev::stayUntilStopped;

    /**
     * A breach {@code soak} plants at its first checkpoint (tests prove the soak detects it); null:
     * none.
     */
    Soak.Breach soakBreach;

    public static void main(String[] args) {
        startWarmUp(args);
        int code = commandLine(new Zonedev()).execute(args);
        if (!shuttingDown) {
            System.exit(code);
        }
    }

    /**
     * For the commands that boot an engine (the default job, {@code boot} and {@code compare}),
     * starts the engine's once-per-JVM warm-up on a thread of its own, so that it overlaps
     * picocli's parsing and the checks of the input; the engine waits for it before its first
     * create.
     */
    static boolean startWarmUp(String[] args) {
        boolean boots = args.length == 0 || args[0].equals("boot") || args[0].equals("compare");
        for (String a : args) {
            boots &=
                    !a.equals("--help")
                            && !a.equals("-h")
                            && !a.equals("--version")
                            && !a.equals("-V");
        }
        if (boots) {
            Thread t = new Thread(Zonedev::warmUp, "zonedev-warm-up");
            t.setDaemon(true);
            t.start();
        }
        return boots;
    }

    private static void warmUp() {
        EngineWarmUp.ensure(EngineConfig.defaults());
    }

    /**
     * Runs the command as {@code main} would, writing to {@code out} and {@code err}, and returns
     * the exit code instead of exiting: for integration runs that embed zonedev.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(new Zonedev());
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The command line with zonedev's exception handling, for main and for tests. */
    static CommandLine commandLine(Zonedev root) {
        CommandLine cl = new CommandLine(root);
        cl.setExecutionExceptionHandler(
                (e, cmd, parseResult) -> {
                    String message =
                            e instanceof ZoneDeviceException || e.getMessage() != null
                                    ? e.getMessage()
                                    : e.toString();
                    cmd.getErr().println("zonedev: " + message);
                    if (!(e instanceof ZoneDeviceException)) {
                        e.printStackTrace(cmd.getErr());
                    }
                    cmd.getErr().flush();
                    return 1;
                });
        return cl;
    }

    @Override
    public Integer call() throws InterruptedException {
        return usage(
                spec,
                () -> {
                    ClassLoader loader = PluginOptions.loader(plugins, null);
                    EngineConfig config =
                            Setup.config(
                                    "x86_64",
                                    Runtime.getRuntime().availableProcessors(),
                                    EngineConfig.DEFAULT_RANGES_PER_WORKER,
                                    loader);
                    Path cwd = Path.of("");
                    List<NamespaceSpec> namespaces =
                            List.of(
                                    NamespaceArg.parse(
                                            "namespace0.0:size="
                                                    + defaultSize
                                                    + ",mode=fsdax,map=mem",
                                            cwd),
                                    NamespaceArg.parse(
                                            "namespace1.0:size="
                                                    + defaultSize
                                                    + ",mode=devdax,align=2M",
                                            cwd));
                    Setup.checkNamespaces(namespaces, loader);
                    Setup.checkOutput("the timeline picture", defaultReport);
                    BootRun.Plan plan =
                            new BootRun.Plan(
                                    config,
                                    namespaces,
                                    WorkloadArg.defaults(),
                                    true,
                                    false,
                                    defaultReport,
                                    null,
                                    false,
                                    true);
                    return new BootRun(plan, out(spec), err(spec), stay).run();
                });
    }

    /**
     * Work that may find bad input; a {@link UsageException} becomes picocli's usage error (exit
     * 2).
     */
    interface Work {
        int run() throws InterruptedException;
    }

    static int usage(CommandSpec spec, Work work) throws InterruptedException {
        try {
            return work.run();
        } catch (UsageException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static PrintWriter out(CommandSpec spec) {
        return spec.commandLine().getOut();
    }

    static PrintWriter err(CommandSpec spec) {
        return spec.commandLine().getErr();
    }

    /** Waits for Ctrl-C (a shutdown hook) or an interrupt, showing what can be reached over JMX. */
    static void stayUntilStopped(PrintWriter err, MemmapBeans beans) {
        CountDownLatch stop = new CountDownLatch(1);
        Thread runner = Thread.currentThread();
        Thread hook =
                new Thread(
                        () -> {
                            shuttingDown = true;
                            stop.countDown();
                            try {
                                runner.join(30_000); // let the run tear down and write its files
                            } catch (InterruptedException ignored) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "zonedev-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println(
                "zonedev: staying up (pid "
                        + ProcessHandle.current().pid()
                        + "); memmap_state over JMX as "
                        + beans.devices().stream()
                                .map(d -> "dev.zonedev:type=MemmapState,name=\"" + d + "\"")
                                .toList()
                        + "; press Ctrl-C to stop");
        err.flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            // an interrupt stops the stay like Ctrl-C does
        } finally {
            if (!shuttingDown) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }
}
