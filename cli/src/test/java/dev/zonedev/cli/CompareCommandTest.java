package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zonedev compare}: bad input refused with nothing created, and a small real run. */
class CompareCommandTest {
    @TempDir Path dir;

    private Cli.Result compare(String... args) {
        List<String> all = new ArrayList<>(List.of("compare", "--data-dir", dir.toString()));
        all.addAll(List.of(args));
        return Cli.run(dir, all.toArray(String[]::new));
    }

    private void assertRefused(Cli.Result r, String... named) throws IOException {
        assertEquals(2, r.code(), r.toString());
        for (String n : named) {
            assertTrue(r.err().contains(n), n + " not named:\n" + r);
        }
        assertTrue(r.err().contains("accepted"), "no accepted values:\n" + r);
        assertEquals("", r.out(), r.toString());
        assertFalse(r.err().contains("compare: warm-up"), "a combination ran:\n" + r);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "something was created");
        }
    }

    @Test
    void anUnknownKeyIsRefusedListingTheKeys() throws IOException {
        assertRefused(
                compare("--namespace", "a:size=64M,file=a.img", "--vary", "size=64M,128M"),
                "\"size\"",
                "workers, ranges-per-worker, arch, map, align, mode, nid");
    }

    @Test
    void anUnknownValueIsRefusedListingTheValues() throws IOException {
        assertRefused(
                compare("--namespace", "a:size=64M,file=a.img", "--vary", "map=mem,disk"),
                "map=disk",
                "mem, dev");
        assertRefused(
                compare("--namespace", "a:size=64M,file=a.img", "--vary", "workers=2,0"),
                "workers=0",
                "1 to 1024");
        assertRefused(
                compare("--namespace", "a:size=64M,file=a.img", "--vary", "arch=x86_64,arm64"),
                "arch=arm64",
                "x86_64");
    }

    @Test
    void anUnknownStrategyOrPageWriterIsRefusedListingTheAcceptedOnes() throws IOException {
        assertRefused(
                compare("--namespace", "a:size=64M,file=a.img", "--strategies", "seed,nope"),
                "strategy=nope",
                "padata, seed, seed+padata, upstream");
        assertRefused(
                compare(
                        "--namespace",
                        "a:size=64M,file=a.img",
                        "--strategies",
                        "seed",
                        "--vary",
                        "strategy=padata"),
                "given twice");
        assertRefused(
                compare("--namespace", "a:size=64M,file=a.img", "--vary", "page-init=fields,fast"),
                "page-init=fast",
                "fields, template");
    }

    @Test
    void aCombinationTheDriversWouldRefuseIsRefusedBeforeAnyRuns() throws IOException {
        // align=1G leaves a 512 MiB device-dax namespace no aligned unit: the first combination is
        // fine, yet nothing runs and no file is created
        assertRefused(
                compare(
                        "--namespace",
                        "a:size=512M,mode=devdax,file=a.img",
                        "--vary",
                        "align=2M,1G"),
                "combination align=1G",
                "namespace a");
        // a raw namespace has no memmap to place
        assertRefused(
                compare(
                        "--namespace",
                        "a:size=64M,file=a.img",
                        "--namespace",
                        "r:size=64M,mode=raw,file=r.img",
                        "--vary",
                        "map=mem,dev"),
                "combination map=mem",
                "map= applies to fsdax and devdax");
        assertRefused(
                compare("--namespace", "a:size=64M,map=dev,file=a.img", "--vary", "mode=fsdax,raw"),
                "combination mode=raw");
        // a node the (simulated) topology does not have
        assertRefused(
                compare(
                        "--nodes",
                        "2",
                        "--namespace",
                        "a:size=64M,file=a.img",
                        "--vary",
                        "nid=1,2"),
                "combination nid=2",
                "--nodes");
        // map=dev leaves a 4 MiB namespace no room for its memmap and a data page
        assertRefused(
                compare("--namespace", "a:size=4M,file=a.img", "--vary", "map=mem,dev"),
                "combination map=dev",
                "too small");
    }

    @Test
    void otherBadInputIsRefused() throws IOException {
        assertRefused(compare("--namespace", "a:size=64M,file=a.img"), "--vary");
        assertRefused(
                compare(
                        "--namespace",
                        "a:size=64M,file=a.img",
                        "--vary",
                        "workers=1,2",
                        "--vary",
                        "workers=3"),
                "given twice");
        assertRefused(
                compare("--namespace", "a:size=64M,file=a.img", "--vary", "workers=1,1"), "twice");
        assertRefused(
                compare(
                        "--namespace",
                        "a:size=64M,file=a.img",
                        "--vary",
                        "workers=1,2",
                        "--rounds",
                        "0"),
                "--rounds 0",
                "1 to 100");
    }

    @Test
    void helpDescribesTheCommand() {
        Cli.Result help = Cli.run(dir, "help", "compare");
        assertEquals(0, help.code(), help.toString());
        for (String s : List.of("--vary", "--strategies", "--rounds", "--report", "median")) {
            assertTrue(help.out().contains(s), s + ":\n" + help);
        }
        assertEquals(help.out(), Cli.run(dir, "compare", "--help").out());
    }

    @Test
    void aSmallRealCompareReportsEveryCombinationAndLeavesNothingBehind() throws IOException {
        Path html = dir.resolve("out").resolve("compare.html");
        Files.createDirectories(html.getParent());
        Cli.Result r =
                compare(
                        "--workers",
                        "2",
                        "--ranges-per-worker",
                        "4",
                        "--namespace",
                        "a:size=64M,file=a.img",
                        "--namespace",
                        "b:size=64M,mode=devdax",
                        "--workload",
                        "count=32",
                        "--vary",
                        "map=mem,dev",
                        "--vary",
                        "workers=1,2",
                        "--rounds",
                        "2",
                        "--json",
                        "--report",
                        html.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode j = r.json();
        assertEquals(2, j.get("rounds").asInt());
        assertEquals(1, j.get("warmUpRounds").asInt());
        assertEquals("[[0,1,2,3],[3,2,1,0]]", j.get("order").toString());
        assertEquals(CompareFigure.values().length, j.get("figures").size());
        JsonNode combos = j.get("combinations");
        assertEquals(
                List.of(
                        "map=mem workers=1",
                        "map=mem workers=2",
                        "map=dev workers=1",
                        "map=dev workers=2"),
                labels(combos));
        for (JsonNode c : combos) {
            assertTrue(c.get("audit").get("ok").asBoolean(), c.toString());
            assertEquals(2, c.get("audit").get("roundsOk").asInt());
            assertTrue(c.get("audit").get("pagesCheckedPerRound").asLong() > 0, c.toString());
            for (CompareFigure f : CompareFigure.values()) {
                JsonNode s = c.get("figures").get(f.key());
                assertEquals(2, s.get("rounds").size(), f.key());
                assertTrue(s.get("min").asDouble() <= s.get("median").asDouble());
                assertTrue(s.get("median").asDouble() <= s.get("max").asDouble());
            }
            boolean dev = c.get("settings").get("map").asText().equals("dev");
            long resident = c.get("figures").get("memmapBytesResident").get("median").asLong();
            assertTrue(resident > 0, c.toString());
            assertEquals(
                    dev ? 0 : resident,
                    c.get("figures").get("memmapBytesInRam").get("median").asLong(),
                    c.toString());
            assertTrue(
                    c.get("namespaces").get(0).asText().contains("map=" + (dev ? "dev" : "mem")));
        }
        assertTrue(j.get("ok").asBoolean());
        // every run tore down: the file it created is gone, only the report is left
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("out")), files.toList());
        }
        String page = Files.readString(html);
        assertEquals(CompareFigure.values().length, count(page, "<svg class=\"chart\""));
        assertEquals(4 * CompareFigure.values().length, count(page, "<rect class=\"bar"));
        assertTrue(page.contains("Timeline of map=dev workers=2"), "timelines");
        assertFalse(
                page.contains("http://")
                        && page.replace("http://www.w3.org/2000/svg", "").contains("http://"));
    }

    @Test
    void underUpstreamANamespaceIsAvailableOnlyOnceItsMemmapIsInitialized() {
        Cli.Result r =
                compare(
                        "--namespace",
                        "a:size=64M",
                        "--workload",
                        "count=8",
                        "--strategies",
                        "seed,upstream",
                        "--rounds",
                        "2",
                        "--json",
                        "--no-progress");
        assertEquals(0, r.code(), r.toString());
        JsonNode upstream = r.json().get("combinations").get(1);
        assertEquals("strategy=upstream", upstream.get("label").asText());
        assertEquals(
                upstream.get("figures").get("initializedMs").get("rounds"),
                upstream.get("figures").get("availableMs").get("rounds"),
                upstream.toString());
        assertEquals(0, upstream.get("figures").get("foregroundPages").get("max").asLong());
        assertEquals("seed", r.json().get("strategy").asText());
    }

    @Test
    void theTableMarksTheBestOfEachFigure() {
        Cli.Result r =
                compare(
                        "--namespace",
                        "a:size=32M",
                        "--vary",
                        "ranges-per-worker=1,8",
                        "--rounds",
                        "1",
                        "--no-progress");
        assertEquals(0, r.code(), r.toString());
        assertTrue(
                r.out().contains("ranges-per-worker=1") && r.out().contains("ranges-per-worker=8"),
                r.out());
        long marked =
                r.out()
                        .lines()
                        .filter(l -> l.startsWith("available after"))
                        .filter(l -> l.contains(CompareTable.BEST))
                        .count();
        assertEquals(1, marked, r.out());
        assertEquals("", r.err());
    }

    private static List<String> labels(JsonNode combos) {
        List<String> out = new ArrayList<>();
        combos.forEach(c -> out.add(c.get("label").asText()));
        return out;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
