package dev.zonedev.bench;

import java.util.List;
import java.util.Map;

/**
 * What {@link WholeRun} measured, as Jackson databind writes it with {@code --json FILE}: one
 * record per JSON object, fields in the order written. Figures keyed by worker count are maps from
 * the count ({@code "1"}, {@code "2"}, ...) to the median. Immutable.
 */
record WholeRunReport(
        Machine machine, RunOptions options, List<SizeFigures> sizes, List<Target> targets) {

    /** Where it ran. */
    record Machine(
            int cores,
            String java,
            String os,
            long maxHeapBytes,
            String transparentHugepage,
            String cpu,
            String time) {}

    /** What was asked. */
    record RunOptions(
            List<Double> sizesGiB,
            int rounds,
            int samplesPerRound,
            boolean quick,
            List<Integer> workerCounts) {}

    /** Every figure of one size: medians over the rounds, latency over all samples. */
    record SizeFigures(
            double sizeGiB,
            long pages,
            long memmapBytes,
            int rounds,
            double wallSeconds,
            AddReturn addReturn,
            FullInit fullInit,
            Reinit reinit,
            FirstPfnLatency firstPfnLatency,
            Memory memory) {
        SizeFigures withWallSeconds(double seconds) {
            return new SizeFigures(
                    sizeGiB,
                    pages,
                    memmapBytes,
                    rounds,
                    seconds,
                    addReturn,
                    fullInit,
                    reinit,
                    firstPfnLatency,
                    memory);
        }
    }

    /** Time for the add to return: async on x86_64 against the synchronous fallback on generic. */
    record AddReturn(
            double asyncX86_64Ms,
            double syncGenericMs,
            double asyncOverSync,
            Map<String, Double> asyncX86_64MsByWorkers,
            List<Double> syncGenericRoundsMs) {}

    /** Time until every page is initialized, engine against mmap + THP + first touch. */
    record FullInit(
            Map<String, Double> engineMs,
            Map<String, Double> engineNsPerPage,
            Map<String, Double> referenceFirstTouchMs,
            Map<String, Double> engineOverReference,
            double speedup2Over1,
            Map<String, List<Double>> engineRoundsMs,
            Map<String, List<Double>> referenceFirstTouchRoundsMs) {}

    /** The engine's loop over its warm memmap against the reference loop over touched memory. */
    record Reinit(
            Map<String, Double> engineLoopMs,
            Map<String, Double> engineLoopNsPerPage,
            Map<String, Double> warmReferenceMs,
            Map<String, Double> warmReferenceNsPerPage,
            Map<String, Double> engineOverReference) {}

    /** First-pfn latency with every core busy and with a core left for the consumer. */
    record FirstPfnLatency(Latency allCoresBusy, Latency coreLeftFree, int samples) {}

    /** One configuration's first-pfn latency, engine against the minimal pipeline. */
    record Latency(
            int workers,
            Percentiles engineUs,
            Percentiles pipelineUs,
            double p99EngineOverPipeline) {}

    /** Percentiles of a set of samples. */
    record Percentiles(double p50, double p99, double max, double mean) {}

    /** Memmap bytes, resident bytes and the bookkeeping formula, per page. */
    record Memory(
            long memmapBytesPerPage,
            double residentBytesPerPage,
            int subRanges,
            int subRangePages,
            long bookkeepingBytes,
            double bookkeepingBytesPerPage) {}

    /** One target: the figure, its limit and whether it was met. */
    record Target(
            String target,
            double sizeGiB,
            double value,
            double limit,
            String comparison,
            boolean pass) {
        static Target of(String name, double gib, double value, double limit, boolean atMost) {
            return new Target(
                    name,
                    gib,
                    value,
                    limit,
                    atMost ? "<=" : ">=",
                    atMost ? value <= limit : value >= limit);
        }
    }
}
