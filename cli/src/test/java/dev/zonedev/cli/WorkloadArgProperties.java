package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the {@code --workload} parser ({@link WorkloadArg}). */
class WorkloadArgProperties {
    @Property(tries = 1000)
    void aRenderedWorkloadParsesBackToItself(@ForAll boolean sequential,
            @ForAll @IntRange(min = 0, max = 10_000_000) int count, @ForAll @IntRange(min = 1, max = 256) int threads) {
        WorkloadArg w = new WorkloadArg(sequential, count, threads);
        assertEquals(w, WorkloadArg.parse(w.render()));
    }

    @Property(tries = 3000)
    void anythingElseIsAUsageErrorNamingWhatIsAccepted(@ForAll("workloadTexts") String text) {
        WorkloadArg w;
        try {
            w = WorkloadArg.parse(text);
        } catch (UsageException e) {
            assertTrue(e.getMessage().startsWith("workload \"" + text + "\""), e.getMessage());
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
            return;
        }
        assertTrue(w.count() >= 0 && w.count() <= 10_000_000 && w.threads() >= 1 && w.threads() <= 256, text);
        for (String item : text.split(",")) {
            if (item.startsWith("count=") || item.startsWith("threads=")) {
                assertTrue(item.substring(item.indexOf('=') + 1).strip().matches("[0-9]+"),
                        "accepted a number in an undocumented form: " + text);
            }
        }
        assertEquals(w, WorkloadArg.parse(w.render()), text);
    }

    /** Found by the property above: count=+5 and digits of other scripts were read as numbers. */
    @net.jqwik.api.Example
    void onlyAsciiDigitsAreACount() {
        for (String text : new String[] {"count=+5", "count=\u0663", "threads=\uff12", "count=-0"}) {
            UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                    () -> WorkloadArg.parse(text), text);
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
        }
        assertEquals(new WorkloadArg(false, 7, 1), WorkloadArg.parse("count=007"));
    }

    @Provide
    Arbitrary<String> workloadTexts() {
        Arbitrary<String> key = Arbitraries.of("pattern", "count", "threads", "PATTERN", "Count", "x", "");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("random", "sequential", "Random", "0", "1", "256",
                "257", "10000000", "10000001", "-1", "+5", "\u0663", "-0", "2147483648", "99999999999999999999", "1e3", "", " 7 "),
                Arbitraries.strings().ofMaxLength(6));
        Arbitrary<String> item = Combinators.combine(key, Arbitraries.of("=", "=", "=", "", "=="), value)
                .as((k, eq, v) -> k + eq + v);
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                item.list().ofMaxSize(4).map(items -> String.join(",", new ArrayList<>(items))),
                Arbitraries.just((String) null));
    }
}
