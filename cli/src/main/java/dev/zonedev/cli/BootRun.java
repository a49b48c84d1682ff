package dev.zonedev.cli;

import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapAvailability;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.EngineWarmUp;
import dev.zonedev.core.MemmapAudit;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.NumaTopology;
import dev.zonedev.core.Platform;
import dev.zonedev.core.SubRangeLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One boot run, shared by {@code zonedev boot} and the default job: builds the platform, creates
 * the namespaces (timing each add), runs the workload while the memmaps initialize, shows progress,
 * waits for every memmap to be initialized, verifies, reports (table or JSON, timeline picture,
 * JFR), optionally stays up with JMX, and tears everything down. Input is checked by the caller; a
 * setup failure takes back the files it created.
 */
final class BootRun {
    /**
     * One blocking wait for idle; the wait goes on after it unless a failure stopped the memmap.
     */
    private static final Duration IDLE_WAIT = Duration.ofMinutes(1);

    /**
     * Everything a run does.
     *
     * @param config the engine configuration (checked)
     * @param namespaces namespaces to create, in order (checked)
     * @param workload faults with a pfn per namespace while the memmap initializes, or null
     * @param verify audit every struct page afterwards
     * @param json print the JSON report instead of the table
     * @param report where to write the timeline picture, or null
     * @param jfr where to write a JFR recording, or null
     * @param stay keep running (with JMX beans) until interrupted
     * @param progress draw progress bars on stderr
     * @param jmx register the memmap_state MBeans (always with {@code stay}); without it the MBean
     *     server is never started (~150 ms of a cold run)
     */
    record Plan(
            EngineConfig config,
            List<NamespaceSpec> namespaces,
            WorkloadArg workload,
            boolean verify,
            boolean json,
            Path report,
            Path jfr,
            boolean stay,
            boolean progress,
            boolean jmx) {
        Plan(
                EngineConfig config,
                List<NamespaceSpec> namespaces,
                WorkloadArg workload,
                boolean verify,
                boolean json,
                Path report,
                Path jfr,
                boolean stay,
                boolean progress) {
            this(config, namespaces, workload, verify, json, report, jfr, stay, progress, false);
        }

        /** True when the run registers MBeans. */
        boolean registersBeans() {
            return stay || jmx;
        }
    }

    /** What is known of one namespace while the run goes on. */
    private static final class Tracked {
        final Namespace ns;
        final long createStartNanos;
        final double addReturnedMs;
        final DevicePagemap pagemap;
        Workload workload;
        SubRangeLog log;
        MemmapAudit audit;

        Tracked(Namespace ns, long createStartNanos, double addReturnedMs, DevicePagemap pagemap) {
            this.ns = ns;
            this.createStartNanos = createStartNanos;
            this.addReturnedMs = addReturnedMs;
            this.pagemap = pagemap;
        }
    }

    private final Plan plan;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Stay stay;
    private Report.Platform platformReport;
    private Report.Numa numa;

    /** Blocks until the user stops a {@code --stay} run. */
    interface Stay {
        void await(PrintWriter err, MemmapBeans beans) throws InterruptedException;
    }

    BootRun(Plan plan, PrintWriter out, PrintWriter err, Stay stay) {
        this.plan = plan;
        this.out = out;
        this.err = err;
        this.stay = stay;
    }

    /**
     * Runs; returns the exit code (0 ok, 1 failure; a bad spec found by a driver throws
     * UsageException).
     */
    @SuppressWarnings(
            "try") // the progress bars close before the summary prints, and again (no-op) on error
    int run() throws InterruptedException {
        JfrRecorder jfr = plan.jfr() == null ? null : new JfrRecorder(plan.jfr());
        Setup.NewFiles newFiles = new Setup.NewFiles();
        List<Tracked> tracked = new ArrayList<>();
        boolean ok = true;
        if (plan.registersBeans()) {
            ManagementFactory
                    .getPlatformMBeanServer(); // its first use takes a while: not inside the timed
            // part
        }
        // the parts of the engine this run uses, warmed before any clock starts
        EngineWarmUp.ensure(plan.config(), EngineWarmUp.Part.of(plan.config(), plan.namespaces()));
        try (Platform platform = Platform.create(plan.config());
                MemmapBeans beans = plan.registersBeans() ? new MemmapBeans() : null;
                Progress progress =
                        new Progress(
                                err,
                                plan.progress(),
                                Progress.stderrIsTerminal(),
                                System.nanoTime())) {
            platformReport = platformReport(platform);
            NumaTopology topology = platform.engine().numa();
            numa = new Report.Numa(topology.nodes(), topology.simulated(), topology.binds());
            try {
                for (NamespaceSpec spec : plan.namespaces()) {
                    newFiles.note(spec);
                    long t0 = System.nanoTime();
                    Namespace ns = platform.create(spec);
                    double returned = (System.nanoTime() - t0) / 1e6;
                    Tracked t =
                            new Tracked(
                                    ns,
                                    t0,
                                    returned,
                                    Targets.pagemap(platform.engine(), ns).orElse(null));
                    tracked.add(t);
                    bar(t).ifPresent(progress::add);
                }
                if (beans != null) {
                    beans.refresh(platform);
                }
            } catch (ZoneDeviceException e) {
                platform.close();
                newFiles.deleteAll();
                if (e.code() == ErrorCode.INVALID) {
                    throw new UsageException(e.getMessage());
                }
                throw e;
            }
            startWorkloads(tracked);
            for (Tracked t : tracked) {
                if (t.workload != null) {
                    t.workload.join();
                }
            }
            awaitIdle(tracked);
            progress.close();
            for (Tracked t : tracked) {
                if (t.pagemap != null) {
                    t.log = t.pagemap.subRangeLog();
                    if (plan.verify()) {
                        t.audit = t.pagemap.audit();
                        ok &= t.audit.ok();
                    }
                }
            }
            Report.Boot report = report(tracked, ok);
            if (plan.report() != null) {
                write(
                        plan.report(),
                        TimelineHtml.render("zonedev memmap timeline", lanes(tracked)));
            }
            if (plan.json()) {
                out.println(Report.json(report));
            } else {
                SummaryTable.print(out, report);
            }
            out.flush();
            if (plan.stay()) {
                stay.await(err, beans);
            }
        } finally {
            if (jfr != null) {
                jfr.close();
            }
        }
        return ok ? 0 : 1;
    }

    private void startWorkloads(List<Tracked> tracked) {
        if (plan.workload() == null || plan.workload().count() == 0) {
            return;
        }
        long seed = 42;
        for (Tracked t : tracked) {
            if (Targets.hasPfns(t.ns)) {
                DaxDevice device = Targets.device(t.ns, null);
                t.workload = new Workload(device, plan.workload(), seed);
                seed += 1000;
            }
        }
        tracked.stream().filter(t -> t.workload != null).forEach(t -> t.workload.start());
    }

    private static Optional<Progress.Bar> bar(Tracked t) {
        if (t.pagemap == null) {
            return Optional.empty();
        }
        DevicePagemap p = t.pagemap;
        SubRangeLog log = p.subRangeLog();
        long total = log.endPfn() - (log.size() == 0 ? log.endPfn() : log.firstPfn()[0]);
        return Optional.of(
                new Progress.Bar(
                        Targets.deviceName(t.ns),
                        total,
                        () -> p.pagesInitializedByWorkers() + p.pagesInitializedInForeground()));
    }

    /**
     * Waits until every memmap reads idle, blocked on its completion ({@link
     * DevicePagemap#awaitIdle}), or finishes in the foreground when a background failure stopped it
     * ({@code sync} then completes it or throws why it cannot).
     */
    private static void awaitIdle(List<Tracked> tracked) {
        for (Tracked t : tracked) {
            if (t.pagemap == null) {
                continue;
            }
            while (!t.pagemap.awaitIdle(IDLE_WAIT)) {
                if (t.pagemap.failure() != null) {
                    t.pagemap.sync();
                    break;
                }
            }
        }
    }

    private Report.Boot report(List<Tracked> tracked, boolean ok) {
        List<Report.Ns> list = new ArrayList<>();
        for (Tracked t : tracked) {
            list.add(namespaceReport(t));
            if (t.workload != null && t.workload.errors() > 0) {
                err.println(
                        "zonedev: "
                                + t.workload.errors()
                                + " faults failed on "
                                + t.workload.device().name()
                                + ", the first with: "
                                + t.workload.firstError().getMessage());
            }
        }
        WorkloadArg w = plan.workload();
        return new Report.Boot(
                plan.config().arch(),
                plan.config().strategy(),
                plan.config().workers(),
                plan.config().rangesPerWorker(),
                plan.config().pageInit().label(),
                numa,
                w == null
                        ? null
                        : new Report.Workload(
                                w.sequential() ? "sequential" : "random",
                                w.count(),
                                w.threads(),
                                w.render()),
                platformReport,
                list,
                plan.report() == null ? null : plan.report().toAbsolutePath().toString(),
                plan.jfr() == null ? null : plan.jfr().toAbsolutePath().toString(),
                ok);
    }

    private static Report.Ns namespaceReport(Tracked t) {
        Namespace ns = t.ns;
        long bytes = ns.range().size();
        long pages = ns.range().nrPages();
        String map = Targets.map(ns);
        DevicePagemap p = t.pagemap;
        long dataPages =
                ns.daxDevices().isEmpty()
                        ? pages
                        : ns.daxDevices().stream().mapToLong(DaxDevice::nrPages).sum();
        if (ns.mode() == NamespaceMode.RAW) {
            dataPages = Targets.device(ns, null).nrPages();
        }
        boolean async = p != null && p.async();
        // measured at the moment the last struct page was published, from the start of the create
        double initDoneMs =
                p == null || !async || p.initDoneAtNanos() < 0
                        ? t.addReturnedMs
                        : (p.initDoneAtNanos() - t.createStartNanos) / 1e6;
        Report.Verify verify =
                t.audit == null
                        ? null
                        : new Report.Verify(
                                t.audit.pagesChecked(),
                                t.audit.pagesBad(),
                                t.audit.firstBadPfn(),
                                t.audit.subRanges(),
                                t.audit.subRangesNotExactlyOnce(),
                                t.audit.pageblocksChecked(),
                                t.audit.pageblocksBad(),
                                t.audit.ok());
        return new Report.Ns(
                ns.name(),
                Targets.deviceName(ns),
                ns.mode().text(),
                map,
                bytes,
                pages,
                dataPages,
                p == null ? 0 : memmapBytes(p, pages),
                p == null ? "none" : map.equals("dev") ? "device" : "ram",
                async,
                Report.round(t.addReturnedMs),
                availableWhen(p),
                Report.round(availableWhen(p).equals("initialized") ? initDoneMs : t.addReturnedMs),
                Report.round(initDoneMs),
                p == null ? 0 : p.pagesInitializedByWorkers(),
                p == null ? 0 : p.pagesInitializedInForeground(),
                t.log == null ? 0 : t.log.size(),
                p == null ? null : memmap(p),
                t.log == null ? null : Report.Placement.of(t.log),
                t.workload == null ? null : t.workload.faults(),
                t.workload == null ? null : t.workload.errors(),
                Report.Latency.of(t.workload == null ? new double[0] : t.workload.latenciesMs()),
                verify,
                NamespaceArg.render(ns.spec()));
    }

    /** Memmap bytes the pagemap needs: two 4 KiB frames per compound page with tail reuse. */
    private static long memmapBytes(DevicePagemap p, long pages) {
        return p.vmemmapReuse()
                ? (pages >>> p.compoundOrder()) * 2 * Pages.PAGE_SIZE
                : Pages.memmapBytes(pages);
    }

    private static Report.Memmap memmap(DevicePagemap p) {
        boolean compound = p.compoundOrder() > 0;
        return new Report.Memmap(
                p.compoundOrder(),
                p.structPagesWritten(),
                p.vmemmapBytesResident(),
                compound ? p.vmemmapReuse() : null,
                p.noReuseReason().isEmpty() ? null : p.noReuseReason());
    }

    /** One line on how the memmap was built, for the table and the timeline. */
    static String memmapLine(DevicePagemap p) {
        String pages =
                p.compoundOrder() == 0
                        ? "ordinary struct pages"
                        : "compound pages of "
                                + SummaryTable.human(Pages.PAGE_SIZE << p.compoundOrder())
                                + " (order "
                                + p.compoundOrder()
                                + "), "
                                + (p.vmemmapReuse()
                                        ? "vmemmap tail reuse"
                                        : "no reuse: " + p.noReuseReason());
        return String.format(
                Locale.ROOT,
                "%s; %,d struct pages written, %s of vmemmap resident",
                pages,
                p.structPagesWritten(),
                SummaryTable.human(p.vmemmapBytesResident()));
    }

    /**
     * When the namespace became available: {@code add-returns}, or {@code initialized} when its
     * strategy makes it wait for the whole memmap (a namespace without a pagemap is available when
     * its create returns).
     */
    private static String availableWhen(DevicePagemap p) {
        return p != null && p.availability() == MemmapAvailability.INITIALIZED
                ? "initialized"
                : "add-returns";
    }

    /**
     * What the platform did before the clock: the engine's warm-up, and whether the page loop runs
     * compiled now, just before the first create (checked here, outside the timed part).
     */
    static Report.Platform platformReport(Platform platform) {
        EngineWarmUp.Result w = platform.engine().warmUp();
        boolean compiledNow = EngineWarmUp.loopCompiledNow();
        String note =
                compiledNow
                        ? null
                        : "the page loop was not running compiled when the first create started:"
                                + " the add and init times (addReturnedMs, initDoneMs) include the JVM's warm-up, not only the"
                                + " engine's work";
        return new Report.Platform(
                Report.round(w.millis()),
                w.loopCompiled(),
                Double.isNaN(w.nsPerPage()) ? null : Report.round(w.nsPerPage()),
                compiledNow,
                warmed(w),
                Report.CLOCK,
                note);
    }

    /** What the warm-up ran, as the report names it: always {@code ram} and {@code fields}. */
    static List<String> warmed(EngineWarmUp.Result w) {
        List<String> warmed = new ArrayList<>(List.of("ram", "fields"));
        for (EngineWarmUp.Part part : EngineWarmUp.Part.values()) {
            if (w.parts().contains(part)) {
                warmed.add(part.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        return warmed;
    }

    private List<TimelineHtml.Lane> lanes(List<Tracked> tracked) {
        List<TimelineHtml.Lane> lanes = new ArrayList<>();
        for (Tracked t : tracked) {
            if (t.log != null) {
                lanes.add(
                        new TimelineHtml.Lane(
                                t.ns.name(),
                                Targets.deviceName(t.ns),
                                t.ns.mode().text() + ", map=" + Targets.map(t.ns),
                                plan.config().workers(),
                                t.log,
                                t.pagemap == null ? "" : memmapLine(t.pagemap)));
            }
        }
        return lanes;
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The pagemap of a namespace, for callers that hold only the platform. */
    static Optional<DevicePagemap> pagemap(Platform platform, Namespace ns) {
        return Targets.pagemap(platform.engine(), ns);
    }
}
