package dev.zonedev.cli;

import dev.zonedev.core.SubRangeLog;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --report FILE.html} timeline picture: one self-contained HTML page with, per
 * namespace, two SVG charts of its sub-ranges. "Where": one lane per background worker plus one for
 * the foreground, each sub-range drawn at its place in the device and coloured by the time it was
 * done. "When": the same lanes on a time axis, each sub-range drawn from when it was claimed to
 * when it was done, foreground initializations as red ticks. Foreground sub-ranges carry a red
 * outline in both. Every shape has a tooltip with the sub-range, its first pfn, pages, who and
 * when. Stateless.
 */
final class TimelineHtml {
    /** What the picture needs of one namespace. */
    record Lane(
            String name, String device, String mode, int workers, SubRangeLog log, String memmap) {}

    private static final int WIDTH = 1000;
    private static final int LANE = 22;
    private static final int LEFT = 110;

    private TimelineHtml() {}

    static String render(String title, List<Lane> lanes) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append(
                        "</title>\n<style>body{font-family:sans-serif;margin:20px}h2{margin-bottom:4px}"
                                + "p{margin:4px 0;color:#444}svg{display:block;margin:6px 0 18px}"
                                + "text{font-size:11px;font-family:sans-serif}</style></head><body>\n<h1>")
                .append(esc(title))
                .append(
                        "</h1>\n<p>Each rectangle is one sub-range of struct pages. Colour: when"
                                + " it was done (blue early, yellow late; the scale is per namespace). Red outline or tick:"
                                + " initialized in the foreground by memmapSync, for a consumer that needed a pfn.</p>\n");
        for (Lane lane : lanes) {
            section(h, lane);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** Appends one namespace's heading and its two charts (the compare report reuses it). */
    static void section(StringBuilder h, Lane lane) {
        SubRangeLog log = lane.log();
        int n = log.size();
        long maxDone = 1;
        int foreground = 0;
        for (int i = 0; i < n; i++) {
            maxDone = Math.max(maxDone, log.doneNanos()[i]);
            foreground += log.foreground(i) ? 1 : 0;
        }
        int rows = lane.workers() + 1;
        h.append(
                String.format(
                        Locale.ROOT,
                        "<h2>%s (%s, %s)</h2>\n<p>%d sub-ranges of %,d pages; %d by %d workers"
                                + " %s node %d, %d in the foreground; all done after %.1f ms;"
                                + " sub-ranges by node %s</p>\n",
                        esc(lane.name()),
                        esc(lane.device()),
                        esc(lane.mode()),
                        n,
                        log.subRangePages(),
                        n - foreground,
                        lane.workers(),
                        log.workersBound() ? "bound to" : "placed (recorded) on",
                        log.nid(),
                        foreground,
                        maxDone / 1e6,
                        log.subRangesByNode()));
        if (!lane.memmap().isEmpty()) {
            h.append("<p>").append(esc(lane.memmap())).append("</p>\n");
        }
        // where: x = place in the device
        int height = rows * LANE + 30;
        h.append("<svg width=\"")
                .append(LEFT + WIDTH + 20)
                .append("\" height=\"")
                .append(height)
                .append(
                        "\" xmlns=\"http://www.w3.org/2000/svg\"><text x=\"0\" y=\"12\">where (device offset"
                                + " &#8594;)</text>\n");
        lanes(h, rows, lane.workers());
        double w = (double) WIDTH / Math.max(1, n);
        for (int i = 0; i < n; i++) {
            if (log.doneNanos()[i] < 0) {
                continue;
            }
            int row = row(log, i, lane.workers());
            rect(h, LEFT + i * w, 16 + row * LANE, Math.max(w, 1), LANE - 4, log, i, maxDone);
        }
        h.append("</svg>\n");
        // when: x = time
        h.append("<svg width=\"")
                .append(LEFT + WIDTH + 20)
                .append("\" height=\"")
                .append(height + 14)
                .append(
                        "\" xmlns=\"http://www.w3.org/2000/svg\"><text x=\"0\" y=\"12\">when (time &#8594;)</text>\n");
        lanes(h, rows, lane.workers());
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(
                order, (a, b) -> Long.compare(log.doneNanos()[a], log.doneNanos()[b]));
        for (int i : order) {
            long done = log.doneNanos()[i];
            if (done < 0) {
                continue;
            }
            int row = row(log, i, lane.workers());
            double x1 = LEFT + (double) done / maxDone * WIDTH;
            if (log.foreground(i)) {
                h.append(
                        String.format(
                                Locale.ROOT,
                                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d00\""
                                        + " stroke-width=\"2\"><title>%s</title></line>\n",
                                x1,
                                16 + row * LANE,
                                x1,
                                16 + row * LANE + LANE - 4,
                                tip(log, i)));
                continue;
            }
            double x0 = LEFT + (double) log.startNanos()[i] / maxDone * WIDTH;
            rect(h, x0, 16 + row * LANE, Math.max(x1 - x0, 1), LANE - 4, log, i, maxDone);
        }
        for (int t = 0; t <= 4; t++) {
            String anchor = t == 0 ? "start" : t == 4 ? "end" : "middle";
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%.0f ms</text>\n",
                            LEFT + t * WIDTH / 4,
                            height + 8,
                            anchor,
                            maxDone / 1e6 * t / 4));
        }
        h.append("</svg>\n");
    }

    private static int row(SubRangeLog log, int i, int workers) {
        return log.foreground(i) ? workers : Math.min(log.initializedBy()[i], workers - 1);
    }

    private static void lanes(StringBuilder h, int rows, int workers) {
        for (int r = 0; r < rows; r++) {
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f2f2f2\"/>"
                                    + "<text x=\"0\" y=\"%d\">%s</text>\n",
                            LEFT,
                            16 + r * LANE,
                            WIDTH,
                            LANE - 4,
                            16 + r * LANE + 13,
                            r < workers ? "worker " + r : "foreground"));
        }
    }

    private static void rect(
            StringBuilder h,
            double x,
            int y,
            double w,
            int height,
            SubRangeLog log,
            int i,
            long maxDone) {
        double t = (double) log.doneNanos()[i] / maxDone;
        String stroke = log.foreground(i) ? " stroke=\"#d00\" stroke-width=\"2\"" : "";
        h.append(
                String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s>"
                                + "<title>%s</title></rect>\n",
                        x,
                        y,
                        w,
                        height,
                        colour(t),
                        stroke,
                        tip(log, i)));
    }

    /** Blue (early) through green to yellow (late). */
    static String colour(double t) {
        return String.format(Locale.ROOT, "hsl(%.0f,75%%,%.0f%%)", 240 - 180 * t, 40 + 15 * t);
    }

    private static String tip(SubRangeLog log, int i) {
        return String.format(
                Locale.ROOT,
                "sub-range %d: pfn %#x, %d pages, %s on node %d, done at %.2f ms",
                i,
                log.firstPfn()[i],
                log.pages(i),
                log.foreground(i) ? "foreground" : "worker " + log.initializedBy()[i],
                log.ranOnNode()[i],
                log.doneNanos()[i] / 1e6);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
