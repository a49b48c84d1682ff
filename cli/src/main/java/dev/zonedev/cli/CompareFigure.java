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
    MEMMAP_RESIDENT(
            "memmapBytesResident",
            "memmap bytes resident",
            "bytes",
            r -> (double) r.memmapBytesResident()),
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

    /** Bytes in the largest binary unit they reach, one decimal: "4.0 GiB", "512.0 KiB", "0 B". */
    static String bytes(double value) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = value;
        int unit = -1;
        while (Math.abs(v) >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return unit < 0
                ? String.format(Locale.ROOT, "%.0f B", value)
                : String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    /** A value in this figure's unit for the table: "12.3 ms", "1.0 GiB", "4,096". */
    String format(double value) {
        return switch (unit) {
            case "ms" -> String.format(Locale.ROOT, value < 10 ? "%.3f" : "%.1f", value);
            case "ns" -> String.format(Locale.ROOT, "%.2f", value);
            case "bytes" -> bytes(value);
            default -> String.format(Locale.ROOT, "%,d", (long) value);
        };
    }
}
