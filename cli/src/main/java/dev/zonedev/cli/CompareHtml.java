package dev.zonedev.cli;

import java.util.List;
import java.util.Locale;

/**
 * The {@code zonedev compare --report FILE.html} page: self-contained (inline CSS, SVG and script,
 * nothing fetched), with one bar chart per {@link CompareFigure} (one bar per combination at its
 * median, the range over the rounds as a whisker, the best bar outlined) and each combination's
 * timeline drawn by {@link TimelineHtml}. The report's JSON is embedded too, and the page's script
 * checks every bar against it, logging a console error on any difference. Stateless.
 */
final class CompareHtml {
    /** One combination's timeline: the namespaces of its last timed round. */
    record Timeline(String label, List<TimelineHtml.Lane> lanes) {}

    private static final int BAR = 90;
    private static final int GAP = 30;
    private static final int PLOT = 200;
    private static final int TOP = 24;
    private static final int LEFT = 70;
    private static final int BOTTOM = 24;

    private static final String STYLE =
            "body{font-family:sans-serif;margin:20px}h2{margin-bottom:4px}p{margin:4px 0;color:#444}"
                    + "svg{display:block;margin:6px 0 18px}text{font-size:11px;font-family:sans-serif}"
                    + ".charts{display:flex;flex-wrap:wrap;gap:12px}.chart-box{border:1px solid #ddd;padding:6px}"
                    + "rect.bar{fill:#4a78c2}rect.bar.best{stroke:#1a7f1a;stroke-width:3}"
                    + "rect.bar:hover{fill:#e08a00}line.whisker{stroke:#222;stroke-width:1.5}"
                    + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                    + "#check{color:#1a7f1a}";

    /**
     * Checks every bar against the embedded JSON and shows the result; errors go to the console.
     */
    private static final String SCRIPT =
            """
            (function () {
              var data = JSON.parse(document.getElementById('compare-json').textContent);
              var bars = document.querySelectorAll('rect.bar');
              var bad = 0;
              bars.forEach(function (bar) {
                var combo = data.combinations[Number(bar.dataset.index)];
                var spread = combo && combo.figures[bar.dataset.figure];
                if (!spread || spread.median !== Number(bar.dataset.median)
                    || spread.min !== Number(bar.dataset.min) || spread.max !== Number(bar.dataset.max)) {
                  bad++;
                  console.error('bar ' + bar.dataset.figure + ' of ' + bar.dataset.combination
                      + ' differs from the JSON');
                }
              });
              document.getElementById('check').textContent = bad === 0
                  ? 'All ' + bars.length + ' bars match the report\\u2019s JSON (embedded in this page).'
                  : bad + ' bars differ from the JSON.';
            })();
            """;

    private CompareHtml() {}

    static String render(CompareReport.Compare r, String json, List<Timeline> timelines) {
        StringBuilder h = new StringBuilder();
        h.append(
                        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                + "<title>zonedev compare</title>\n<style>")
                .append(STYLE)
                .append("</style></head><body>\n<h1>zonedev compare</h1>\n");
        h.append(
                String.format(
                        Locale.ROOT,
                        "<p>%d combination(s) of <code>%s</code>; namespaces <code>%s</code>%s;"
                                + " %d timed round(s) after %d warm-up, alternating order.</p>\n",
                        r.combinations().size(),
                        esc(String.join(" ", r.varied())),
                        esc(String.join(" ", r.namespaces())),
                        r.workload() == null
                                ? ""
                                : "; workload <code>" + esc(r.workload().spec()) + "</code>",
                        r.rounds(),
                        r.warmUpRounds()));
        h.append(
                "<p>Each bar is a combination's median over the timed rounds; the whisker its"
                        + " range (min to max); a green outline marks the best (lowest median)."
                        + " Less is better on every chart.</p>\n<p id=\"check\"></p>\n");
        audits(h, r);
        h.append("<div class=\"charts\">\n");
        for (CompareFigure f : CompareFigure.values()) {
            chart(h, r, f);
        }
        h.append("</div>\n");
        for (Timeline t : timelines) {
            h.append("<h2 class=\"timeline\">Timeline of ")
                    .append(esc(t.label()))
                    .append(" (its last timed round)</h2>\n");
            for (TimelineHtml.Lane lane : t.lanes()) {
                TimelineHtml.section(h, lane);
            }
        }
        h.append("<script type=\"application/json\" id=\"compare-json\">")
                .append(json.replace("</", "<\\/"))
                .append("</script>\n<script>")
                .append(SCRIPT)
                .append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void audits(StringBuilder h, CompareReport.Compare r) {
        h.append("<table><tr><th>combination</th><th>audit</th></tr>\n");
        for (CompareReport.Combo c : r.combinations()) {
            CompareReport.Audit a = c.audit();
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<tr><td>%s</td><td>%s</td></tr>\n",
                            esc(c.label()),
                            a.ok()
                                    ? String.format(
                                            Locale.ROOT,
                                            "ok: %,d pages verified in each of %d rounds, every"
                                                    + " sub-range once",
                                            a.pagesCheckedPerRound(),
                                            a.roundsOk())
                                    : String.format(
                                            Locale.ROOT,
                                            "BAD: %d pages, %d sub-ranges not once, %d pageblocks,"
                                                    + " %d faults failed",
                                            a.pagesBad(),
                                            a.subRangesNotExactlyOnce(),
                                            a.pageblocksBad(),
                                            a.faultErrors())));
        }
        h.append("</table>\n");
    }

    private static void chart(StringBuilder h, CompareReport.Compare r, CompareFigure f) {
        List<CompareReport.Combo> combos = r.combinations();
        double top = 0;
        for (CompareReport.Combo c : combos) {
            Spread s = c.figures().get(f.key());
            top = s == null ? top : Math.max(top, s.max());
        }
        top = top <= 0 ? 1 : top * 1.1;
        int width = LEFT + combos.size() * (BAR + GAP) + GAP;
        h.append("<div class=\"chart-box\"><svg class=\"chart\" data-figure=\"")
                .append(f.key())
                .append(
                        String.format(
                                Locale.ROOT,
                                "\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
                                width,
                                TOP + PLOT + BOTTOM))
                .append(
                        String.format(
                                Locale.ROOT,
                                "<text class=\"title\" x=\"0\" y=\"14\" font-weight=\"bold\">%s (%s)</text>\n",
                                esc(f.label()),
                                f.unit()));
        axis(h, f, top, width);
        for (int i = 0; i < combos.size(); i++) {
            bar(h, f, combos.get(i), i, top);
        }
        h.append("</svg></div>\n");
    }

    private static void axis(StringBuilder h, CompareFigure f, double top, int width) {
        for (int t = 0; t <= 4; t++) {
            double v = top * t / 4;
            double y = TOP + PLOT - PLOT * t / 4.0;
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                            LEFT,
                            y,
                            width,
                            y,
                            LEFT - 4,
                            y + 4,
                            esc(f.format(v))));
        }
    }

    private static void bar(
            StringBuilder h, CompareFigure f, CompareReport.Combo c, int index, double top) {
        double x = LEFT + GAP + index * (BAR + GAP);
        h.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                        x + BAR / 2.0,
                        TOP + PLOT + 14,
                        esc(c.label())));
        Spread s = c.figures().get(f.key());
        if (s == null) {
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">no value</text>\n",
                            x + BAR / 2.0,
                            TOP + PLOT - 4));
            return;
        }
        double y = TOP + PLOT - PLOT * s.median() / top;
        boolean best = c.best().contains(f.key());
        h.append(
                String.format(
                        Locale.ROOT,
                        "<rect class=\"bar%s\" data-figure=\"%s\" data-index=\"%d\""
                                + " data-combination=\"%s\" data-median=\"%s\" data-min=\"%s\""
                                + " data-max=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\">"
                                + "<title>%s: %s median %s, range %s to %s over %d rounds%s</title></rect>\n",
                        best ? " best" : "",
                        f.key(),
                        index,
                        esc(c.label()),
                        number(s.median()),
                        number(s.min()),
                        number(s.max()),
                        x,
                        y,
                        BAR,
                        TOP + PLOT - y,
                        esc(c.label()),
                        esc(f.label()),
                        esc(f.format(s.median())),
                        esc(f.format(s.min())),
                        esc(f.format(s.max())),
                        s.rounds().size(),
                        best ? " (best)" : ""));
        double cx = x + BAR / 2.0;
        double y0 = TOP + PLOT - PLOT * s.min() / top;
        double y1 = TOP + PLOT - PLOT * s.max() / top;
        h.append(
                String.format(
                        Locale.ROOT,
                        "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                                + "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                                + "<line class=\"whisker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                        cx,
                        y0,
                        cx,
                        y1,
                        cx - 10,
                        y0,
                        cx + 10,
                        y0,
                        cx - 10,
                        y1,
                        cx + 10,
                        y1));
        h.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                        cx,
                        Math.max(TOP + 10, y1 - 4),
                        esc(f.format(s.median()))));
    }

    /** A number as JSON writes it, so the page's script compares equal values equal. */
    private static String number(double v) {
        return Double.toString(v);
    }

    private static String esc(String s) {
        return TimelineHtml.esc(s);
    }
}
