package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code zonedev soak}: a short run passes with plausible counts, bad options exit 2, planted
 * breaches exit 1.
 */
class SoakCommandTest {
    private static final List<String> TIMING_DEPENDENT =
            List.of("interrupt-reprobe", "access-shared");

    @TempDir Path dir;

    @Test
    void aShortSoakPassesAndEveryKindRan() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Cli.Result r =
                Cli.run(
                        dir,
                        "soak",
                        "--operations",
                        "300",
                        "--seed",
                        "1",
                        "--threads",
                        "2",
                        "--json",
                        "--data-dir",
                        data.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode t = r.json();
        assertTrue(t.get("ok").asBoolean(), r.toString());
        assertEquals(0, t.get("failures").asInt());
        assertEquals(1, t.get("seed").asLong());
        assertTrue(t.get("operations").asLong() >= 300, r.toString());
        // Two kinds count only when the moment allows: interrupt-reprobe needs a detached file to
        // re-probe when it is drawn, access-shared another thread's namespace alive when it is
        // drawn. In 300 operations either may miss by timing alone; ShortSoakTest's 3000 check
        // that both run.
        t.get("operationsByKind")
                .properties()
                .forEach(
                        e ->
                                assertTrue(
                                        e.getValue().asLong() > 0
                                                || TIMING_DEPENDENT.contains(e.getKey()),
                                        "no " + e.getKey() + " ran: " + r));
        for (String f :
                List.of(
                        "pagesVerified",
                        "bytesWritten",
                        "bytesChecked",
                        "badInputs",
                        "checkpoints",
                        "namespacesCreated",
                        "reprobes")) {
            assertTrue(t.get(f).asLong() > 0, f + " is 0: " + r);
        }
        assertTrue(t.get("pagesVerified").asLong() > t.get("operations").asLong(), r.toString());
        try (Stream<Path> left = Files.list(data)) {
            assertEquals(List.of(), left.toList(), "a soak that passed removes its files");
        }
    }

    @Test
    void theTableNamesEveryCount() {
        Cli.Result r =
                Cli.run(
                        dir,
                        "soak",
                        "--operations",
                        "40",
                        "--seed",
                        "2",
                        "--threads",
                        "1",
                        "--no-progress");
        assertEquals(0, r.code(), r.toString());
        for (String line :
                List.of(
                        "soak passed: seed 2",
                        "operations",
                        "by kind",
                        "faults",
                        "interrupts",
                        "bad inputs",
                        "pages verified",
                        "bytes checked",
                        "failures          0")) {
            assertTrue(r.out().contains(line), line + " in\n" + r);
        }
        assertTrue(r.err().startsWith("zonedev soak: seed 2, 1 threads"), r.toString());
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(
                        new String[] {"--threads", "0"},
                        "--threads 0 is out of range; accepted: 1 to 64"),
                Arguments.of(new String[] {"--threads", "65"}, "accepted: 1 to 64"),
                Arguments.of(
                        new String[] {"--minutes", "0"},
                        "--minutes 0 is out of range; accepted: 1 to 10080"),
                Arguments.of(new String[] {"--operations", "-5"}, "accepted: 1 to 1000000000"),
                Arguments.of(
                        new String[] {"--max-size", "3M"},
                        "accepted: a multiple of 2M from 4M to 16G"),
                Arguments.of(new String[] {"--max-size", "lots"}, "--max-size lots"),
                Arguments.of(new String[] {"--hang-seconds", "1"}, "accepted: 5 to 3600"),
                Arguments.of(new String[] {"--exclude", "teleport"}, "accepted: create, destroy"),
                Arguments.of(new String[] {"--exclude", "create"}, "any kind but create"),
                Arguments.of(new String[] {"--data-dir", "no/such/dir"}, "is not a directory"),
                Arguments.of(new String[] {"--seed", "x"}, "Invalid value"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void aBadArgumentExitsTwoNamingWhatIsAccepted(String[] args, String says) {
        Stream<String> base =
                args[0].equals("--operations")
                        ? Stream.of("soak")
                        : Stream.of("soak", "--operations", "10");
        String[] all = Stream.concat(base, Stream.of(args)).toArray(String[]::new);
        Cli.Result r = Cli.run(dir, all);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(says), "stderr should say " + says + ":\n" + r);
        assertTrue(r.out().isEmpty(), r.toString());
    }

    @Test
    void aCorruptStructPageIsFoundWithTheInvariantAndTheReplayCommand() {
        Cli.Result r =
                soakWith(
                        Soak.Breach.STRUCT_PAGE,
                        "--operations",
                        "60",
                        "--seed",
                        "3",
                        "--threads",
                        "2",
                        "--no-progress");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("FAILED at checkpoint 1"), r.toString());
        assertTrue(
                r.err()
                        .contains(
                                "invariant 3 (memmap_state idle, or a sync returned => every page initialized)"),
                r.toString());
        assertTrue(
                r.err().contains("breach-probe") && r.err().contains("struct pages wrong"),
                r.toString());
        assertTrue(
                r.err().contains("replay: zonedev soak --seed 3 --operations 50 --threads 2"),
                r.toString());
        assertTrue(r.out().contains("failures          1"), r.toString());
    }

    @Test
    void aChangedDataByteIsFound() {
        Cli.Result r =
                soakWith(
                        Soak.Breach.DATA,
                        "--operations",
                        "60",
                        "--seed",
                        "4",
                        "--threads",
                        "2",
                        "--json",
                        "--no-progress");
        assertEquals(1, r.code(), r.toString());
        JsonNode t = r.json();
        assertEquals(false, t.get("ok").asBoolean());
        assertEquals(1, t.get("failures").asInt());
        assertTrue(
                t.get("failure").get("invariant").asText().startsWith("data intact"), r.toString());
        assertTrue(
                t.get("failure").get("message").asText().contains("read back with SHA-256"),
                r.toString());
        assertTrue(
                t.get("replay").asText().startsWith("zonedev soak --seed 4 --operations "),
                r.toString());
        assertTrue(r.err().contains("replay: zonedev soak --seed 4"), r.toString());
    }

    @Test
    void anOperationThatNeverReturnsIsReportedAsAHang() {
        Cli.Result r =
                soakWith(
                        Soak.Breach.HANG,
                        "--operations",
                        "60",
                        "--seed",
                        "5",
                        "--threads",
                        "2",
                        "--hang-seconds",
                        "5",
                        "--no-progress");
        assertEquals(1, r.code(), r.toString());
        assertTrue(
                r.err()
                        .contains(
                                "invariant 10 (a waiter never waits on a state nobody will change)"),
                r.toString());
        assertTrue(
                r.err()
                        .contains(
                                "waiting for a wakeup nobody sends (test-only breach) has run for more than 5 s"),
                r.toString());
        assertTrue(r.err().contains("\"zonedev-soak-"), "the stacks of the soak threads: " + r);
        assertTrue(r.err().contains("replay: zonedev soak --seed 5"), r.toString());
    }

    /** {@code zonedev soak ARGS} with {@code breach} planted behind the soak's back. */
    private Cli.Result soakWith(Soak.Breach breach, String... args) {
        Zonedev root = Cli.root(dir);
        root.soakBreach = breach;
        return Cli.run(
                root, Stream.concat(Stream.of("soak"), Stream.of(args)).toArray(String[]::new));
    }
}
