package dev.zonedev.bench;

import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.SubRangeLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Full initialization by the background alone under each strategy, with all workers at full speed
 * and with one worker made slow ({@code BackgroundGate#slowWorker}: it pauses before each unit, as
 * a worker whose core is busy elsewhere would). The seed's static slices wait for the slow worker's
 * slice; padata's dynamic chunks let the others take over. In one process, the combinations
 * alternating order each round after a discarded warm-up round, each pass preceded by an untimed
 * priming of as much memory as its memmap ({@link MemoryPrimer}); medians.
 *
 * <p>Usage: {@code StrategyFullInit [sizeGiB] [rounds] [workers] [slowMicrosPerUnit] [strategies]}
 * (default 16, 5, 4, 500, {@code seed,padata,seed+padata}).
 */
public final class StrategyFullInit {
    private static final long GIB = 1L << 30;

    private StrategyFullInit() {}

    public static void main(String[] args) throws InterruptedException {
        long gib = args.length > 0 ? Long.parseLong(args[0]) : 16;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        long slowMicros = args.length > 3 ? Long.parseLong(args[3]) : 500;
        List<String> strategies =
                List.of((args.length > 4 ? args[4] : "seed,padata,seed+padata").split(","));
        Duration slow = Duration.ofNanos(slowMicros * 1000);
        List<String> combos = new ArrayList<>();
        for (String s : strategies) {
            combos.add(s + "|balanced");
            combos.add(s + "|slow");
        }
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        combos.forEach(c -> results.put(c, new ArrayList<>()));
        for (int round = -1; round < rounds; round++) {
            List<String> order = new ArrayList<>(combos);
            if (round % 2 != 0) {
                java.util.Collections.reverse(order);
            }
            for (String combo : order) {
                String[] parts = combo.split("\\|");
                double[] r =
                        measure(
                                parts[0],
                                round < 0 ? 1 : gib,
                                workers,
                                parts[1].equals("slow") ? slow : Duration.ZERO);
                if (round >= 0) {
                    results.get(combo).add(r);
                }
            }
        }
        print(gib, rounds, workers, slowMicros, strategies, results);
    }

    private static void print(
            long gib,
            int rounds,
            int workers,
            long slowMicros,
            List<String> strategies,
            Map<String, List<double[]>> results) {
        System.out.printf(
                "full init by the background, %d GiB, %d workers, %d rounds (medians);"
                        + " slow: worker 1 pauses %d us before each unit%n",
                gib, workers, rounds, slowMicros);
        System.out.printf(
                "%-12s %-9s %12s %12s %22s%n",
                "strategy", "workers", "full init ms", "vs balanced", "slow worker's pages %");
        for (String s : strategies) {
            double balanced = median(results.get(s + "|balanced"), 0);
            for (String mode : List.of("balanced", "slow")) {
                List<double[]> runs = results.get(s + "|" + mode);
                double ms = median(runs, 0);
                System.out.printf(
                        "%-12s %-9s %12.1f %11.2fx %21.1f%%%n",
                        s, mode, ms, ms / balanced, median(runs, 1));
            }
        }
    }

    /** {full init ms, % of the pages initialized by worker 1}. */
    static double[] measure(String strategy, long gib, int workers, Duration slow)
            throws InterruptedException {
        long bytes = gib * GIB;
        MemoryPrimer.prime(bytes >>> 6, 2);
        try (Engine engine =
                Engine.create(
                        EngineConfig.defaults().withStrategy(strategy).withWorkers(workers))) {
            engine.testing().backgroundGate().slowWorker(1, slow);
            DevicePagemap p =
                    engine.memremapPages(
                            new PagemapRequest(
                                    new PhysicalRange(4 * GIB, bytes), 0, Optional.empty(), true));
            if (!p.awaitIdle(Duration.ofMinutes(10))) {
                throw new IllegalStateException(strategy + ": not idle after 10 minutes");
            }
            if (p.pagesInitializedInForeground() != 0) {
                throw new IllegalStateException(strategy + ": pages in the foreground");
            }
            SubRangeLog log = p.subRangeLog();
            long bySlow = 0;
            for (int i = 0; i < log.size(); i++) {
                bySlow += log.initializedBy()[i] == 1 ? log.pages(i) : 0;
            }
            double ms = p.initDurationNanos() / 1e6;
            p.close();
            return new double[] {ms, 100.0 * bySlow / (bytes / 4096)};
        }
    }

    private static double median(List<double[]> runs, int field) {
        double[] v = runs.stream().mapToDouble(r -> r[field]).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
