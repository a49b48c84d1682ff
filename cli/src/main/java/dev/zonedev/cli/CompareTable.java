package dev.zonedev.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The stdout table of {@code zonedev compare}: one column per combination, one row per figure, each
 * cell the median over the timed rounds with the range in brackets, the best combination of each
 * row marked {@code *}; then the audit row. Stateless.
 */
final class CompareTable {
    /** The mark of a row's best cell. */
    static final String BEST = " *";

    private CompareTable() {}

    static void print(PrintWriter out, CompareReport.Compare r) {
        out.printf(
                Locale.ROOT,
                "compare: %d combination(s) of %s; %d timed round(s) after %d warm-up, order"
                        + " alternating%n",
                r.combinations().size(),
                String.join(" ", r.varied()),
                r.rounds(),
                r.warmUpRounds());
        out.printf(
                Locale.ROOT,
                "namespaces: %s%s%n",
                String.join(" ", r.namespaces()),
                r.workload() == null ? "" : "; workload: " + r.workload().spec());
        List<String[]> rows = new ArrayList<>();
        rows.add(row(r, "combination", c -> c.label()));
        for (CompareFigure f : CompareFigure.values()) {
            rows.add(row(r, f.label() + unit(f), c -> cell(f, c)));
        }
        rows.add(row(r, "audit", CompareTable::audit));
        TextTable.print(out, rows);
        out.println(
                "each cell: median [min-max] over the timed rounds; * the best (lowest median) of"
                        + " its row");
    }

    /** One cell: "12.3 [11.9-13.0] *". */
    static String cell(CompareFigure f, CompareReport.Combo c) {
        Spread s = c.figures().get(f.key());
        if (s == null) {
            return "-";
        }
        return f.format(s.median())
                + " ["
                + f.format(s.min())
                + "-"
                + f.format(s.max())
                + "]"
                + (c.best().contains(f.key()) ? BEST : "");
    }

    private static String unit(CompareFigure f) {
        return f.unit().equals("ms") || f.unit().equals("ns") ? " (" + f.unit() + ")" : "";
    }

    private static String audit(CompareReport.Combo c) {
        CompareReport.Audit a = c.audit();
        if (a.ok()) {
            return String.format(
                    Locale.ROOT,
                    "ok, %,d pages x %d rounds",
                    a.pagesCheckedPerRound(),
                    a.roundsOk());
        }
        return String.format(
                Locale.ROOT,
                "BAD: %d pages, %d sub-ranges not once, %d pageblocks, %d faults failed",
                a.pagesBad(),
                a.subRangesNotExactlyOnce(),
                a.pageblocksBad(),
                a.faultErrors());
    }

    private static String[] row(
            CompareReport.Compare r, String label, Function<CompareReport.Combo, String> cell) {
        String[] row = new String[r.combinations().size() + 1];
        row[0] = label;
        for (int i = 0; i < r.combinations().size(); i++) {
            row[i + 1] = cell.apply(r.combinations().get(i));
        }
        return row;
    }
}
