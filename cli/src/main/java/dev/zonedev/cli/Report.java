package dev.zonedev.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of {@code zonedev boot --json} (documented field by field in README). Immutable
 * records written by jackson-jr in declaration order; absent parts (null) are left out. jackson-jr,
 * not databind, because a boot run pays its setup in a cold JVM: its first write was measured at a
 * quarter of databind's. The other commands' JSON ({@code list}, scenario lines) uses databind
 * through {@link Mappers}, created only when one of them runs.
 */
final class Report {
    private static final JSON WRITER =
            JSON.std
                    .with(
                            JSON.Feature.PRETTY_PRINT_OUTPUT,
                            JSON.Feature.WRITE_RECORD_FIELDS_IN_DECLARATION_ORDER)
                    .without(JSON.Feature.WRITE_NULL_PROPERTIES);

    private Report() {}

    /** The boot report as pretty-printed JSON. */
    static String json(Boot report) {
        try {
            return WRITER.asString(report);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** databind mappers for the commands other than boot, created on first use. */
    static final class Mappers {
        /** Pretty-printing mapper. */
        static final ObjectMapper JSON =
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        /** One-line mapper for scenario step results. */
        static final ObjectMapper JSON_LINE = new ObjectMapper();

        private Mappers() {}
    }

    /** The whole run. */
    record Boot(
            String arch,
            String strategy,
            int workers,
            int rangesPerWorker,
            String pageInit,
            Numa numa,
            Workload workload,
            Platform platform,
            List<Ns> namespaces,
            String timeline,
            String jfr,
            boolean ok) {}

    /**
     * The NUMA topology the engine placed work on.
     *
     * @param nodes number of nodes
     * @param simulated made up with {@code --nodes N} rather than read from the machine
     * @param binds placement binds threads ({@code sched_setaffinity}); false: recorded only
     */
    record Numa(int nodes, boolean simulated, boolean binds) {}

    /**
     * Where a namespace's memmap was initialized.
     *
     * @param nid the namespace's node, where its workers were placed
     * @param workersBound the workers were bound to that node's CPUs (else the decision was
     *     recorded only)
     * @param subRangesByNode sub-ranges initialized on each node (foreground ones on the node of
     *     the caller's CPU; "-1" when unknown)
     */
    record Placement(int nid, boolean workersBound, Map<String, Integer> subRangesByNode) {
        static Placement of(dev.zonedev.core.SubRangeLog log) {
            Map<String, Integer> by = new LinkedHashMap<>();
            log.subRangesByNode().forEach((node, count) -> by.put(String.valueOf(node), count));
            return new Placement(log.nid(), log.workersBound(), by);
        }
    }

    /** What the namespaces' clocks cover. */
    static final String CLOCK =
            "addReturnedMs and initDoneMs run from the start of each namespace's create;"
                    + " initDoneMs ends when its last struct page was published; the engine's warm-up ran before";

    /**
     * What ran before the clock started.
     *
     * @param warmUpMs the engine's warm-up (once per JVM)
     * @param loopCompiledAfterWarmUp the page loop reached compiled (C2) speed in the warm-up
     * @param loopNsPerPage the loop's speed at the end of the warm-up
     * @param loopCompiledBeforeFirstCreate the loop still ran at compiled speed just before the
     *     first create
     * @param warmed what the warm-up ran: always the RAM add path and the fields page writer, plus
     *     the parts the run's namespaces and page writer use ({@code file-backed}, {@code
     *     template}, {@code compound})
     * @param clock what addReturnedMs and initDoneMs measure
     * @param note present when the figures include JIT warm-up
     */
    record Platform(
            double warmUpMs,
            boolean loopCompiledAfterWarmUp,
            Double loopNsPerPage,
            boolean loopCompiledBeforeFirstCreate,
            List<String> warmed,
            String clock,
            String note) {}

    /** The workload that ran, if any; {@code spec} is its canonical {@code --workload} text. */
    record Workload(String pattern, int count, int threads, String spec) {}

    /**
     * One namespace; {@code spec} is its canonical {@code --namespace} text, to create it again.
     */
    record Ns(
            String name,
            String device,
            String mode,
            String map,
            long bytes,
            long pages,
            long dataPages,
            long memmapBytes,
            String memmapIn,
            boolean async,
            double addReturnedMs,
            String availableWhen,
            double availableAfterMs,
            double initDoneMs,
            long pagesInitializedByWorkers,
            long pagesInitializedInForeground,
            int subRanges,
            Memmap memmap,
            Placement placement,
            Long faults,
            Long faultErrors,
            Latency firstPfnLatencyMs,
            Verify verify,
            String spec) {}

    /**
     * Latencies of faults that needed a pfn, in milliseconds; p50, p99 and max absent without
     * samples.
     */
    record Latency(Double p50, Double p99, Double max, int samples) {
        static Latency of(double[] ms) {
            if (ms.length == 0) {
                return new Latency(null, null, null, 0);
            }
            double[] s = ms.clone();
            Arrays.sort(s);
            return new Latency(
                    round(percentile(s, 0.50)),
                    round(percentile(s, 0.99)),
                    round(s[s.length - 1]),
                    s.length);
        }

        private static double percentile(double[] sorted, double p) {
            int i = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }

    /**
     * How the memmap was built: the compound order ({@code vmemmap_shift}, 0 for ordinary pages),
     * struct pages written, bytes of vmemmap holding them, and for compound pages whether the tail
     * vmemmap pages were reused and, when not, why.
     */
    record Memmap(
            int compoundOrder,
            long structPagesWritten,
            long vmemmapBytesResident,
            Boolean vmemmapReuse,
            String noReuseReason) {}

    /** The audit of every struct page, every pageblock and the exactly-once record. */
    record Verify(
            long pagesChecked,
            long pagesBad,
            long firstBadPfn,
            int subRanges,
            int subRangesNotExactlyOnce,
            long pageblocksChecked,
            long pageblocksBad,
            boolean ok) {}

    /** Milliseconds rounded to microseconds. */
    static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
