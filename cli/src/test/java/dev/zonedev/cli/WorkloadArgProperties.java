package dev.zonedev.cli;

import static dev.zonedev.api.testing.Gens.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.testing.Props;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Properties of the {@code --workload} parser ({@link WorkloadArg}). */
class WorkloadArgProperties {
    @Test
    void aRenderedWorkloadParsesBackToItself() {
        Props.check(
                1000,
                booleans(),
                ints(0, 10_000_000),
                ints(1, 256),
                WorkloadArgProperties::aRenderedWorkloadParsesBackToItself);
    }

    private static void aRenderedWorkloadParsesBackToItself(
            boolean sequential, int count, int threads) {
        WorkloadArg w = new WorkloadArg(sequential, count, threads);
        assertEquals(w, WorkloadArg.parse(w.render()));
    }

    @Test
    void anythingElseIsAUsageErrorNamingWhatIsAccepted() {
        Props.check(
                3000,
                workloadTexts(),
                WorkloadArgProperties::anythingElseIsAUsageErrorNamingWhatIsAccepted);
    }

    private static void anythingElseIsAUsageErrorNamingWhatIsAccepted(String text) {
        WorkloadArg w;
        try {
            w = WorkloadArg.parse(text);
        } catch (UsageException e) {
            assertTrue(e.getMessage().startsWith("workload \"" + text + "\""), e.getMessage());
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
            return;
        }
        assertTrue(
                w.count() >= 0 && w.count() <= 10_000_000 && w.threads() >= 1 && w.threads() <= 256,
                text);
        for (String item : text.split(",")) {
            if (item.startsWith("count=") || item.startsWith("threads=")) {
                assertTrue(
                        item.substring(item.indexOf('=') + 1).strip().matches("[0-9]+"),
                        "accepted a number in an undocumented form: " + text);
            }
        }
        assertEquals(w, WorkloadArg.parse(w.render()), text);
    }

    /** Found by the property above: count=+5 and digits of other scripts were read as numbers. */
    @Test
    void onlyAsciiDigitsAreACount() {
        for (String text :
                new String[] {"count=+5", "count=\u0663", "threads=\uff12", "count=-0"}) {
            UsageException e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            UsageException.class, () -> WorkloadArg.parse(text), text);
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
        }
        assertEquals(new WorkloadArg(false, 7, 1), WorkloadArg.parse("count=007"));
    }

    private static Gen<String> workloadTexts() {
        Gen<String> key = of("pattern", "count", "threads", "PATTERN", "Count", "x", "");
        Gen<String> value =
                oneOf(
                        of(
                                "random",
                                "sequential",
                                "Random",
                                "0",
                                "1",
                                "256",
                                "257",
                                "10000000",
                                "10000001",
                                "-1",
                                "+5",
                                "\u0663",
                                "-0",
                                "2147483648",
                                "99999999999999999999",
                                "1e3",
                                "",
                                " 7 "),
                        strings(0, 6));
        Gen<String> item = key.zip(of("=", "=", "=", "", "=="), value, (k, eq, v) -> k + eq + v);
        return oneOf(
                strings(0, 30),
                lists(item, 0, 4).map(items -> String.join(",", new ArrayList<>(items))),
                just((String) null));
    }
}
