package dev.zonedev.cli;

import java.util.Map;

/**
 * A {@code --workload} argument: {@code pattern=random|sequential,count=N,threads=N}. Each
 * namespace with pfns gets {@code count} faults with a pfn, issued by {@code threads} threads while
 * its memmap initializes. Immutable.
 *
 * @param sequential evenly spaced offsets in increasing order instead of random ones
 * @param count faults per namespace, 0 to 10^7
 * @param threads threads per namespace, 1 to 256
 */
record WorkloadArg(boolean sequential, int count, int threads) {
    static final String FORMAT =
            "pattern=random|sequential,count=N (0 to 10000000),threads=N (1 to 256)";

    /** What the default job runs. */
    static WorkloadArg defaults() {
        return new WorkloadArg(false, 256, 1);
    }

    /** The canonical text, as {@link #parse} reads it back; the report shows it. */
    String render() {
        return "pattern="
                + (sequential ? "sequential" : "random")
                + ",count="
                + count
                + ",threads="
                + threads;
    }

    static WorkloadArg parse(String text) {
        String where = "workload \"" + text + "\"";
        Map<String, String> kv = NamespaceArg.keyValues(text == null ? "" : text, where);
        boolean sequential = false;
        int count = 256;
        int threads = 1;
        for (var e : kv.entrySet()) {
            switch (e.getKey()) {
                case "pattern" ->
                        sequential =
                                switch (e.getValue()) {
                                    case "random" -> false;
                                    case "sequential" -> true;
                                    default ->
                                            throw new UsageException(
                                                    where
                                                            + ": pattern="
                                                            + e.getValue()
                                                            + " is unknown; accepted: random or sequential");
                                };
                case "count" -> count = number(where, "count", e.getValue(), 0, 10_000_000);
                case "threads" -> threads = number(where, "threads", e.getValue(), 1, 256);
                default ->
                        throw new UsageException(
                                where
                                        + ": key \""
                                        + e.getKey()
                                        + "\" is unknown; accepted: "
                                        + FORMAT);
            }
        }
        return new WorkloadArg(sequential, count, threads);
    }

    private static int number(String where, String key, String value, int min, int max) {
        try {
            // ASCII digits only: parseInt alone also reads "+5" and other scripts' digits
            int n = value.matches("[0-9]{1,10}") ? Integer.parseInt(value) : -1;
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // more than an int holds: reported below
        }
        throw new UsageException(
                where
                        + ": "
                        + key
                        + "="
                        + value
                        + " is not valid; accepted: "
                        + min
                        + " to "
                        + max);
    }
}
