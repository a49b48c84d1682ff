package dev.zonedev.cli;

import java.util.Locale;
import java.util.function.Function;

/**
 * The figures {@code zonedev compare} reports for each combination, in table and chart order; for
 * every one of them less is better. Each names its JSON key, its label and how to read it from a
 * run. Stateless.
 */
enum CompareFigure {
    AVAILABLE("availableMs", "available after", "ms", r -> r.availableMs()),
    INITIALIZED("initializedMs", "fully initialized after", "ms", r -> r.initializedMs()),
    FIRST_PFN_P50("firstPfnP50Ms", "first-pfn latency p50", "ms", RunFigures::firstPfnP50Ms),
    FIRST_PFN_P99("firstPfnP99Ms", "first-pfn latency p99", "ms", RunFigures::firstPfnP99Ms),
    FIRST_PFN_MAX("firstPfnMaxMs", "first-pfn latency max", "ms", RunFigures::firstPfnMaxMs),
    FOREGROUND_PAGES(
            "foregroundPages", "pages in foreground", "pages", r -> (double) r.foregroundPages()),
    NS_PER_PAGE("nsPerPage", "ns per page", "ns", RunFigures::nsPerPage),
    MEMMAP_IN_RAM(
            "memmapBytesInRam", "memmap bytes in RAM", "bytes", r -> (double) r.memmapBytesInRam());

    private final String key;
    private final String label;
    private final String unit;
    private final Function<RunFigures, Double> read;

    CompareFigure(String key, String label, String unit, Function<RunFigures, Double> read) {
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.read = read;
    }

    /** The JSON key. */
    String key() {
        return key;
    }

    /** The row label of the table and the chart title. */
    String label() {
        return label;
    }

    /** The unit: ms, ns, pages or bytes. */
    String unit() {
        return unit;
    }

    /** The figure of one run, or null when the run has none (no faults, no sub-ranges). */
    Double of(RunFigures run) {
        return read.apply(run);
    }

    /** A value in this figure's unit for the table: "12.3 ms", "1.0 GiB", "4,096". */
    String format(double value) {
        return switch (unit) {
            case "ms" -> String.format(Locale.ROOT, value < 10 ? "%.3f" : "%.1f", value);
            case "ns" -> String.format(Locale.ROOT, "%.2f", value);
            case "bytes" -> SummaryTable.human((long) value);
            default -> String.format(Locale.ROOT, "%,d", (long) value);
        };
    }
}
