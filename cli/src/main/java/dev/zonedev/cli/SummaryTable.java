package dev.zonedev.cli;

import dev.zonedev.core.Sizes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The human summary of a boot run: one column per namespace, one row per figure. Stateless. */
final class SummaryTable {
    private SummaryTable() {}

    static void print(PrintWriter out, Report.Boot r) {
        out.printf(
                Locale.ROOT,
                "arch %s, strategy %s, %d workers, at least %d sub-ranges per worker, page init %s%s%n",
                r.arch(),
                r.strategy(),
                r.workers(),
                r.rangesPerWorker(),
                r.pageInit(),
                r.workload() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; workload: %s, %d faults with a pfn per namespace on %d thread(s)",
                                r.workload().pattern(),
                                r.workload().count(),
                                r.workload().threads()));
        List<String[]> rows = new ArrayList<>();
        rows.add(row(r, "namespace", n -> n.name()));
        rows.add(row(r, "device", n -> n.device() + " (" + n.mode() + ")"));
        rows.add(row(r, "size", n -> human(n.bytes())));
        rows.add(row(r, "pages", n -> String.format(Locale.ROOT, "%,d", n.pages())));
        rows.add(
                row(
                        r,
                        "memmap",
                        n ->
                                n.memmapBytes() == 0
                                        ? "none"
                                        : human(n.memmapBytes()) + " in " + where(n)));
        if (r.namespaces().stream().anyMatch(n -> n.memmap() != null)) {
            rows.add(row(r, "compound pages", SummaryTable::compound));
            rows.add(
                    row(
                            r,
                            "struct pages written",
                            n ->
                                    n.memmap() == null
                                            ? "-"
                                            : String.format(
                                                    Locale.ROOT,
                                                    "%,d",
                                                    n.memmap().structPagesWritten())));
            rows.add(
                    row(
                            r,
                            "vmemmap resident",
                            n ->
                                    n.memmap() == null
                                            ? "-"
                                            : human(n.memmap().vmemmapBytesResident())));
        }
        rows.add(row(r, "add ran", n -> n.async() ? "async" : "sync"));
        rows.add(row(r, "add returned after", n -> ms(n.addReturnedMs())));
        rows.add(
                row(
                        r,
                        "available after",
                        n ->
                                ms(n.availableAfterMs())
                                        + (n.availableWhen().equals("initialized")
                                                ? " (when initialized)"
                                                : "")));
        rows.add(row(r, "fully initialized after", n -> ms(n.initDoneMs())));
        rows.add(
                row(
                        r,
                        "pages by workers",
                        n -> String.format(Locale.ROOT, "%,d", n.pagesInitializedByWorkers())));
        rows.add(
                row(
                        r,
                        "pages in foreground",
                        n -> String.format(Locale.ROOT, "%,d", n.pagesInitializedInForeground())));
        rows.add(
                row(
                        r,
                        "faults with a pfn",
                        n ->
                                n.faults() == null
                                        ? "-"
                                        : String.format(
                                                Locale.ROOT,
                                                "%,d%s",
                                                n.faults(),
                                                n.faultErrors() != null && n.faultErrors() > 0
                                                        ? " (" + n.faultErrors() + " failed)"
                                                        : "")));
        rows.add(row(r, "first-pfn latency p50", n -> latency(n.firstPfnLatencyMs().p50())));
        rows.add(row(r, "first-pfn latency p99", n -> latency(n.firstPfnLatencyMs().p99())));
        if (r.namespaces().stream().anyMatch(n -> n.verify() != null)) {
            rows.add(
                    row(
                            r,
                            "verify",
                            n ->
                                    n.verify() == null
                                            ? "-"
                                            : String.format(
                                                    Locale.ROOT,
                                                    "%,d checked, %d bad; %,d pageblocks%s%s",
                                                    n.verify().pagesChecked(),
                                                    n.verify().pagesBad(),
                                                    n.verify().pageblocksChecked(),
                                                    n.verify().pageblocksBad() == 0
                                                            ? ""
                                                            : ", "
                                                                    + n.verify().pageblocksBad()
                                                                    + " unmarked",
                                                    n.verify().subRangesNotExactlyOnce() == 0
                                                            ? ""
                                                            : ", "
                                                                    + n.verify()
                                                                            .subRangesNotExactlyOnce()
                                                                    + " sub-ranges not exactly once")));
        }
        TextTable.print(out, rows);
        if (r.platform() != null) {
            Report.Platform p = r.platform();
            out.printf(
                    Locale.ROOT,
                    "times from the start of each create; engine warm-up before: %.1f ms, page loop"
                            + " compiled before the first create: %s%n",
                    p.warmUpMs(),
                    p.loopCompiledBeforeFirstCreate() ? "yes" : "NO");
            if (p.note() != null) {
                out.println("note: " + p.note());
            }
        }
        if (r.timeline() != null) {
            out.println("timeline picture: " + r.timeline());
        }
        if (r.jfr() != null) {
            out.println("JFR recording: " + r.jfr());
        }
    }

    private static String[] row(Report.Boot r, String label, Function<Report.Ns, String> cell) {
        String[] row = new String[r.namespaces().size() + 1];
        row[0] = label;
        for (int i = 0; i < r.namespaces().size(); i++) {
            row[i + 1] = cell.apply(r.namespaces().get(i));
        }
        return row;
    }

    /** "none", or the compound size and whether the tail vmemmap pages were reused. */
    private static String compound(Report.Ns n) {
        Report.Memmap m = n.memmap();
        if (m == null || m.compoundOrder() == 0) {
            return "none";
        }
        String size = human(4096L << m.compoundOrder());
        return Boolean.TRUE.equals(m.vmemmapReuse())
                ? size + ", tail reuse"
                : size + ", no reuse: " + m.noReuseReason();
    }

    private static String where(Report.Ns n) {
        return n.memmapIn().equals("device") ? "the device (altmap)" : "RAM";
    }

    /** Bytes in the largest binary unit that holds them whole, else to one decimal. */
    static String human(long bytes) {
        String exact = Sizes.format(bytes);
        if (!exact.chars().allMatch(Character::isDigit)) {
            return exact.replaceAll("([KMGT])$", " $1iB");
        }
        int unit = bytes < 1024 ? 0 : (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return unit == 0
                ? bytes + " B"
                : String.format(
                        Locale.ROOT,
                        "%.1f %siB",
                        bytes / Math.pow(1024, unit),
                        "KMGTPE".charAt(unit - 1));
    }

    private static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    private static String latency(Double ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.3f ms", ms);
    }
}
