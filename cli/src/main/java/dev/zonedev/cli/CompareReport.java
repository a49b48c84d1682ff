package dev.zonedev.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report of {@code zonedev compare}: per combination, the median and range over the timed
 * rounds of every {@link CompareFigure}, which figures it is best on, and its audit. The table, the
 * JSON and the HTML charts are all drawn from this one value. Immutable records, written by
 * jackson-jr in declaration order like the boot report; absent parts (null) are left out.
 */
final class CompareReport {
    private static final JSON WRITER =
            JSON.std
                    .with(
                            JSON.Feature.PRETTY_PRINT_OUTPUT,
                            JSON.Feature.WRITE_RECORD_FIELDS_IN_DECLARATION_ORDER)
                    .without(JSON.Feature.WRITE_NULL_PROPERTIES);

    private CompareReport() {}

    /**
     * The whole comparison.
     *
     * @param arch the arch unless varied
     * @param workers the workers per pagemap unless varied
     * @param rangesPerWorker sub-ranges per worker unless varied
     * @param strategy the memmap strategy unless varied
     * @param pageInit the page writer unless varied
     * @param namespaces the {@code --namespace} specs as given, before the varied options apply
     * @param workload the workload, or null
     * @param varied the {@code --vary} options, canonical
     * @param rounds timed rounds
     * @param warmUpRounds untimed rounds before them
     * @param order the combination indexes in the order each timed round ran them
     * @param figures what each figure measures
     * @param combinations one entry per combination, in {@code --vary} order
     * @param ok every run's audit found nothing wrong and no fault failed
     */
    record Compare(
            String arch,
            int workers,
            int rangesPerWorker,
            String strategy,
            String pageInit,
            List<String> namespaces,
            Report.Workload workload,
            List<String> varied,
            int rounds,
            int warmUpRounds,
            List<List<Integer>> order,
            List<Figure> figures,
            List<Combo> combinations,
            boolean ok) {}

    /** One figure: its JSON key, label, unit, and that less is better. */
    record Figure(String key, String label, String unit, String better) {}

    /**
     * One combination.
     *
     * @param label its settings as "key=value key=value"
     * @param settings key to value
     * @param namespaces the namespace specs it ran, canonical
     * @param figures figure key to its spread over the rounds; a figure without values (no faults)
     *     is absent
     * @param best the keys of the figures on which this combination has the lowest median (ties
     *     share it); empty with a single combination
     * @param audit what the audits found over all rounds
     */
    record Combo(
            String label,
            Map<String, String> settings,
            List<String> namespaces,
            Map<String, Spread> figures,
            List<String> best,
            Audit audit) {}

    /**
     * The audits of one combination over its timed rounds.
     *
     * @param ok every round verified every struct page right, every sub-range done exactly once, no
     *     fault failed
     * @param roundsOk rounds with nothing wrong
     * @param pagesCheckedPerRound struct pages each round's audit verified
     * @param pagesBad wrong struct pages, all rounds together
     * @param subRangesNotExactlyOnce sub-ranges done other than once, all rounds together
     * @param pageblocksBad pageblocks with the wrong migratetype, all rounds together
     * @param faultErrors failed faults, all rounds together
     */
    record Audit(
            boolean ok,
            int roundsOk,
            long pagesCheckedPerRound,
            long pagesBad,
            long subRangesNotExactlyOnce,
            long pageblocksBad,
            long faultErrors) {}

    /** What one combination measured, round by round. */
    record Measured(Combination combination, List<String> namespaces, List<RunFigures> rounds) {}

    /** The report of {@code measured} (one per combination, in combination order). */
    static Compare of(Context context, List<Measured> measured) {
        List<Map<String, Spread>> spreads = new ArrayList<>();
        for (Measured m : measured) {
            spreads.add(spreads(m.rounds()));
        }
        List<Combo> combos = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < measured.size(); i++) {
            Measured m = measured.get(i);
            Audit audit = audit(m.rounds());
            ok &= audit.ok();
            combos.add(
                    new Combo(
                            m.combination().label(),
                            m.combination().settings(),
                            m.namespaces(),
                            spreads.get(i),
                            best(spreads, i),
                            audit));
        }
        List<Figure> figures = new ArrayList<>();
        for (CompareFigure f : CompareFigure.values()) {
            figures.add(new Figure(f.key(), f.label(), f.unit(), "lower"));
        }
        return new Compare(
                context.arch(),
                context.workers(),
                context.rangesPerWorker(),
                context.strategy(),
                context.pageInit(),
                context.namespaces(),
                context.workload(),
                context.varied(),
                context.rounds(),
                context.warmUpRounds(),
                context.order(),
                figures,
                combos,
                ok);
    }

    /** The parts of the report that come from the command line rather than the runs. */
    record Context(
            String arch,
            int workers,
            int rangesPerWorker,
            String strategy,
            String pageInit,
            List<String> namespaces,
            Report.Workload workload,
            List<String> varied,
            int rounds,
            int warmUpRounds,
            List<List<Integer>> order) {}

    /** The report as pretty-printed JSON. */
    static String json(Compare report) {
        try {
            return WRITER.asString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Spread> spreads(List<RunFigures> rounds) {
        Map<String, Spread> out = new LinkedHashMap<>();
        for (CompareFigure f : CompareFigure.values()) {
            double[] values =
                    rounds.stream()
                            .map(f::of)
                            .filter(v -> v != null)
                            .mapToDouble(Double::doubleValue)
                            .toArray();
            Optional<Spread> s = Spread.of(values);
            s.ifPresent(spread -> out.put(f.key(), spread));
        }
        return out;
    }

    /**
     * The figures on which combination {@code i} has the lowest median among those that have the
     * figure; none when fewer than two combinations have it.
     */
    static List<String> best(List<Map<String, Spread>> spreads, int i) {
        List<String> best = new ArrayList<>();
        for (CompareFigure f : CompareFigure.values()) {
            Spread mine = spreads.get(i).get(f.key());
            if (mine == null) {
                continue;
            }
            long having = spreads.stream().filter(s -> s.containsKey(f.key())).count();
            double lowest =
                    spreads.stream()
                            .map(s -> s.get(f.key()))
                            .filter(s -> s != null)
                            .mapToDouble(Spread::median)
                            .min()
                            .orElseThrow();
            if (having >= 2 && mine.median() == lowest) {
                best.add(f.key());
            }
        }
        return best;
    }

    private static Audit audit(List<RunFigures> rounds) {
        int roundsOk = 0;
        long checked = 0;
        long bad = 0;
        long notOnce = 0;
        long pageblocksBad = 0;
        long faultErrors = 0;
        for (RunFigures r : rounds) {
            roundsOk += r.ok() ? 1 : 0;
            checked = Math.max(checked, r.pagesChecked());
            bad += r.pagesBad();
            notOnce += r.subRangesNotExactlyOnce();
            pageblocksBad += r.pageblocksBad();
            faultErrors += r.faultErrors();
        }
        return new Audit(
                roundsOk == rounds.size() && !rounds.isEmpty(),
                roundsOk,
                checked,
                bad,
                notOnce,
                pageblocksBad,
                faultErrors);
    }
}
