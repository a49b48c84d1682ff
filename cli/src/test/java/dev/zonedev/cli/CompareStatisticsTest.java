package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order, the statistics and the best-marking of {@code zonedev compare}. */
class CompareStatisticsTest {
    @Test
    void roundsAlternateTheOrderAndTheWarmUpRunsForward() {
        assertArrayEquals(new int[] {0, 1, 2}, CompareOrder.warmUp(3));
        assertArrayEquals(new int[] {0, 1, 2}, CompareOrder.timed(0, 3));
        assertArrayEquals(new int[] {2, 1, 0}, CompareOrder.timed(1, 3));
        assertArrayEquals(new int[] {0, 1, 2}, CompareOrder.timed(2, 3));
        assertArrayEquals(new int[] {0}, CompareOrder.timed(1, 1));
        // over two rounds every combination runs once first-half, once second-half
        int[] sum = new int[4];
        for (int round = 0; round < 2; round++) {
            int[] o = CompareOrder.timed(round, 4);
            for (int pos = 0; pos < 4; pos++) {
                sum[o[pos]] += pos;
            }
        }
        assertArrayEquals(new int[] {3, 3, 3, 3}, sum);
    }

    @Test
    void spreadIsTheMedianAndTheRange() {
        Spread odd = Spread.of(new double[] {5, 1, 3}).orElseThrow();
        assertEquals(3, odd.median());
        assertEquals(1, odd.min());
        assertEquals(5, odd.max());
        assertEquals(List.of(5.0, 1.0, 3.0), odd.rounds(), "round order kept");
        Spread even = Spread.of(new double[] {4, 1, 2, 10}).orElseThrow();
        assertEquals(3, even.median());
        assertEquals(1.2346, Spread.of(new double[] {1.23456}).orElseThrow().median(), 1e-3);
        assertTrue(Spread.of(new double[0]).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Spread.of(new double[] {1, Double.NaN}));
    }

    @Test
    void theLowestMedianIsBestTiesShareItAndAMissingFigureIsNeverBest() {
        RunFigures fast = figures(10, 100, 0.5, 0);
        RunFigures slow = figures(20, 50, null, 0);
        List<Map<String, Spread>> spreads =
                List.of(
                        CompareReport.spreads(List.of(fast, fast)),
                        CompareReport.spreads(List.of(slow, slow)));
        List<String> first = CompareReport.best(spreads, 0);
        List<String> second = CompareReport.best(spreads, 1);
        assertTrue(first.contains("availableMs"), first.toString());
        assertTrue(second.contains("initializedMs"), second.toString());
        assertTrue(!second.contains("availableMs") && !first.contains("initializedMs"));
        // only the first has latencies: it is alone, so not marked
        assertTrue(!first.contains("firstPfnP50Ms") && !second.contains("firstPfnP50Ms"));
        // both have 0 foreground pages: a tie, both marked
        assertTrue(first.contains("foregroundPages") && second.contains("foregroundPages"));
        // one combination: nothing is best
        assertEquals(List.of(), CompareReport.best(List.of(spreads.getFirst()), 0));
    }

    @Test
    void bytesReadInTheirLargestUnit() {
        assertEquals("0 B", CompareFigure.bytes(0));
        assertEquals("1023 B", CompareFigure.bytes(1023));
        assertEquals("1.5 MiB", CompareFigure.bytes(3 << 19));
        assertEquals("4.0 GiB", CompareFigure.bytes(4L << 30));
        assertEquals("4.0 GiB", CompareFigure.MEMMAP_IN_RAM.format(4L << 30));
    }

    @Test
    void theTableMarksTheBestCellOfEachRow() {
        CompareReport.Compare r = report(figures(10, 100, 0.5, 0), figures(20, 50, 0.7, 1));
        StringWriter s = new StringWriter();
        CompareTable.print(new PrintWriter(s, true), r);
        String available = line(s.toString(), "available after");
        String initialized = line(s.toString(), "fully initialized after");
        assertTrue(
                available.matches(
                        ".*10\\.0 \\[10\\.0-10\\.0\\] \\*\\s+20\\.0 \\[20\\.0-20\\.0\\]$"),
                available);
        assertTrue(
                initialized.matches(
                        ".*100\\.0 \\[100\\.0-100\\.0\\]\\s+50\\.0 \\[50\\.0-50\\.0\\] \\*$"),
                initialized);
        String audit = line(s.toString(), "audit");
        assertTrue(audit.contains("ok, ") && audit.contains("BAD: 1 pages"), audit);
        assertTrue(!r.ok());
    }

    private static String line(String table, String label) {
        return table.lines()
                .filter(l -> l.startsWith(label))
                .findFirst()
                .orElseThrow(() -> new AssertionError(table));
    }

    static CompareReport.Compare report(RunFigures a, RunFigures b) {
        Combination ca = new Combination(Map.of("workers", "1"));
        Combination cb = new Combination(Map.of("workers", "2"));
        return CompareReport.of(
                new CompareReport.Context(
                        "x86_64",
                        2,
                        128,
                        "seed",
                        "fields",
                        List.of("a:size=2M"),
                        null,
                        List.of("workers=1,2"),
                        1,
                        1,
                        List.of(List.of(0, 1))),
                List.of(
                        new CompareReport.Measured(ca, List.of("a:size=2M"), List.of(a)),
                        new CompareReport.Measured(cb, List.of("a:size=2M"), List.of(b))));
    }

    static RunFigures figures(double available, double initialized, Double p50, long bad) {
        return new RunFigures(
                available, initialized, p50, p50, p50, 0, 5.0, 1 << 20, 1 << 20, 512, bad, 0, 0, 0);
    }
}
