package dev.zonedev.cli;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapAvailability;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.MemmapAudit;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.core.SubRangeLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of one {@code zonedev compare} combination: a fresh platform, its namespaces created
 * (timed from the start of the first create), the workload while the memmaps initialize, a wait
 * until every memmap is initialized, the audit of every struct page, and then everything torn down:
 * namespaces destroyed, the engine closed (its memory unmapped) and the backing files this run
 * created deleted, so that rounds do not pile up memory or files. Not thread-safe; one run at a
 * time.
 */
final class CompareRun {
    /** What one run yields: its figures and the timeline of its namespaces. */
    record Result(RunFigures figures, List<TimelineHtml.Lane> lanes) {}

    /** What is known of one namespace during the run. */
    private record Tracked(Namespace ns, double returnedMs, DevicePagemap pagemap) {}

    private CompareRun() {}

    /**
     * Runs {@code c} once.
     *
     * @throws UsageException when a driver refuses a namespace (nothing stays created)
     * @throws ZoneDeviceException any other failure, after tearing down
     */
    static Result run(CompareCase c, WorkloadArg workload) throws InterruptedException {
        Setup.NewFiles newFiles = new Setup.NewFiles();
        try (Platform platform = Platform.create(c.config())) {
            platform.engine().warmUp();
            List<Tracked> tracked = new ArrayList<>();
            long start = System.nanoTime();
            for (NamespaceSpec spec : c.namespaces()) {
                newFiles.note(spec);
                Namespace ns = create(platform, spec);
                double returned = (System.nanoTime() - start) / 1e6;
                tracked.add(
                        new Tracked(
                                ns, returned, Targets.pagemap(platform.engine(), ns).orElse(null)));
            }
            List<Workload> loads = startWorkloads(tracked, workload);
            for (Workload w : loads) {
                w.join();
            }
            awaitInitialized(tracked);
            return measure(c, tracked, loads, start);
        } finally {
            newFiles.deleteAll();
        }
    }

    private static Namespace create(Platform platform, NamespaceSpec spec) {
        try {
            return platform.create(spec);
        } catch (ZoneDeviceException e) {
            if (e.code() == ErrorCode.INVALID) {
                throw new UsageException(e.getMessage());
            }
            throw e;
        }
    }

    private static List<Workload> startWorkloads(List<Tracked> tracked, WorkloadArg arg) {
        List<Workload> loads = new ArrayList<>();
        if (arg == null || arg.count() == 0) {
            return loads;
        }
        long seed = 42;
        for (Tracked t : tracked) {
            if (Targets.hasPfns(t.ns())) {
                loads.add(new Workload(Targets.device(t.ns(), null), arg, seed));
                seed += 1000;
            }
        }
        loads.forEach(Workload::start);
        return loads;
    }

    /** Waits until every memmap reads idle; one whose background gave up is finished in sync. */
    private static void awaitInitialized(List<Tracked> tracked) {
        for (Tracked t : tracked) {
            DevicePagemap p = t.pagemap();
            while (p != null && !p.awaitIdle(Duration.ofSeconds(1))) {
                if (p.failure() != null) {
                    p.sync();
                }
            }
        }
    }

    private static Result measure(
            CompareCase c, List<Tracked> tracked, List<Workload> loads, long start) {
        double available = 0;
        double initialized = 0;
        long foreground = 0;
        long resident = 0;
        long inRam = 0;
        long checked = 0;
        long bad = 0;
        long notOnce = 0;
        long pageblocksBad = 0;
        long busyNanos = 0;
        long loggedPages = 0;
        List<TimelineHtml.Lane> lanes = new ArrayList<>();
        for (Tracked t : tracked) {
            DevicePagemap p = t.pagemap();
            if (p == null) {
                available = Math.max(available, t.returnedMs());
                initialized = Math.max(initialized, t.returnedMs());
                continue;
            }
            double done =
                    p.async() && p.initDoneAtNanos() >= 0
                            ? Math.max(t.returnedMs(), (p.initDoneAtNanos() - start) / 1e6)
                            : t.returnedMs();
            // a strategy without foreground sync (upstream) makes its namespace usable only then
            available =
                    Math.max(
                            available,
                            p.availability() == MemmapAvailability.INITIALIZED
                                    ? done
                                    : t.returnedMs());
            initialized = Math.max(initialized, done);
            foreground += p.pagesInitializedInForeground();
            resident += p.vmemmapBytesResident();
            if (Targets.map(t.ns()).equals("mem")) {
                inRam += p.vmemmapBytesResident();
            }
            MemmapAudit audit = p.audit();
            checked += audit.pagesChecked();
            bad += audit.pagesBad();
            notOnce += audit.subRangesNotExactlyOnce();
            pageblocksBad += audit.pageblocksBad();
            SubRangeLog log = p.subRangeLog();
            for (int i = 0; i < log.size(); i++) {
                if (log.startNanos()[i] >= 0 && log.doneNanos()[i] >= 0) {
                    busyNanos += log.doneNanos()[i] - log.startNanos()[i];
                    loggedPages += log.pages(i);
                }
            }
            lanes.add(
                    new TimelineHtml.Lane(
                            t.ns().name(),
                            Targets.deviceName(t.ns()),
                            t.ns().mode().text() + ", map=" + Targets.map(t.ns()),
                            c.config().workers(),
                            log,
                            BootRun.memmapLine(p)));
        }
        List<Double> latencies = new ArrayList<>();
        long faultErrors = 0;
        for (Workload w : loads) {
            for (double ms : w.latenciesMs()) {
                latencies.add(ms);
            }
            faultErrors += w.errors();
        }
        Report.Latency latency =
                Report.Latency.of(latencies.stream().mapToDouble(Double::doubleValue).toArray());
        RunFigures figures =
                new RunFigures(
                        Report.round(available),
                        Report.round(Math.max(initialized, available)),
                        latency.p50(),
                        latency.p99(),
                        latency.max(),
                        foreground,
                        loggedPages == 0 ? null : (double) busyNanos / loggedPages,
                        resident,
                        inRam,
                        checked,
                        bad,
                        notOnce,
                        pageblocksBad,
                        faultErrors);
        return new Result(figures, lanes);
    }
}
