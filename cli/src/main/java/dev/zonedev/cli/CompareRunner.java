package dev.zonedev.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a checked {@link ComparePlan}: the untimed warm-up round, then the timed rounds in {@link
 * CompareOrder}, one {@link CompareRun} per combination and round; then the table or JSON on stdout
 * and the HTML page. Not thread-safe.
 */
final class CompareRunner {
    /** Untimed rounds before the first timed one. */
    static final int WARM_UP_ROUNDS = 1;

    private final ComparePlan plan;
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * @param err where a line per run goes, or null for none
     */
    CompareRunner(ComparePlan plan, PrintWriter out, PrintWriter err) {
        this.plan = plan;
        this.out = out;
        this.err = err;
    }

    /** Runs everything; returns 0 when every audit was clean, else 1. */
    int run() throws InterruptedException {
        List<CompareCase> cases = plan.cases();
        int n = cases.size();
        for (int i : CompareOrder.warmUp(n)) {
            CompareRun.Result r = CompareRun.run(cases.get(i), plan.workload());
            CompareCommand.progress(err, "warm-up", cases.get(i), r.figures());
        }
        List<List<RunFigures>> figures = new ArrayList<>();
        List<List<TimelineHtml.Lane>> lanes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            figures.add(new ArrayList<>());
            lanes.add(List.of());
        }
        List<List<Integer>> order = new ArrayList<>();
        for (int round = 0; round < plan.rounds(); round++) {
            int[] o = CompareOrder.timed(round, n);
            order.add(Arrays.stream(o).boxed().toList());
            for (int i : o) {
                CompareRun.Result r = CompareRun.run(cases.get(i), plan.workload());
                figures.get(i).add(r.figures());
                lanes.set(i, r.lanes());
                CompareCommand.progress(
                        err,
                        "round " + (round + 1) + "/" + plan.rounds(),
                        cases.get(i),
                        r.figures());
            }
        }
        CompareReport.Compare report = report(figures, order);
        String json = CompareReport.json(report);
        if (plan.report() != null) {
            List<CompareHtml.Timeline> timelines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                timelines.add(
                        new CompareHtml.Timeline(cases.get(i).combination().label(), lanes.get(i)));
            }
            BootRun.write(plan.report(), CompareHtml.render(report, json, timelines));
        }
        if (plan.json()) {
            out.println(json);
        } else {
            CompareTable.print(out, report);
            if (plan.report() != null) {
                out.println("report: " + plan.report().toAbsolutePath());
            }
        }
        out.flush();
        return report.ok() ? 0 : 1;
    }

    private CompareReport.Compare report(
            List<List<RunFigures>> figures, List<List<Integer>> order) {
        List<CompareReport.Measured> measured = new ArrayList<>();
        for (int i = 0; i < plan.cases().size(); i++) {
            CompareCase c = plan.cases().get(i);
            measured.add(
                    new CompareReport.Measured(
                            c.combination(), c.namespaceTexts(), figures.get(i)));
        }
        WorkloadArg w = plan.workload();
        CompareReport.Context context =
                new CompareReport.Context(
                        plan.base().arch(),
                        plan.base().workers(),
                        plan.base().rangesPerWorker(),
                        plan.base().strategy(),
                        plan.base().pageInit().label(),
                        plan.namespaces(),
                        w == null
                                ? null
                                : new Report.Workload(
                                        w.sequential() ? "sequential" : "random",
                                        w.count(),
                                        w.threads(),
                                        w.render()),
                        plan.varied(),
                        plan.rounds(),
                        WARM_UP_ROUNDS,
                        order);
        return CompareReport.of(context, measured);
    }
}
