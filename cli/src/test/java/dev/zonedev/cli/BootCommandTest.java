package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zonedev.core.MemmapStateMBeans;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootCommandTest {
    @TempDir Path dir;

    @Test
    void defaultJobBootsTwoNamespacesAndPrintsTheSummaryTable() throws Exception {
        Cli.Result r = Cli.run(dir);
        assertEquals(0, r.code(), r.toString());
        for (String row :
                List.of(
                        "namespace0.0",
                        "namespace1.0",
                        "pmem0 (fsdax)",
                        "dax1.0 (devdax)",
                        "size",
                        "pages",
                        "memmap",
                        "in RAM",
                        "available after",
                        "fully initialized after",
                        "pages by workers",
                        "pages in foreground",
                        "first-pfn latency p50",
                        "first-pfn latency p99",
                        "0 bad")) {
            assertTrue(r.out().contains(row), row + " missing:\n" + r);
        }
        assertTrue(r.err().contains("100%"), "progress bars on stderr:\n" + r.err());
        String html = Files.readString(dir.resolve("timeline.html"));
        assertTrue(
                html.contains("<svg") && html.contains("worker 0") && html.contains("foreground"),
                html);
    }

    @Test
    void jsonReportHasEveryDocumentedField() throws Exception {
        Path report = dir.resolve("t.html");
        Path jfr = dir.resolve("run.jfr");
        Cli.Result r =
                Cli.run(
                        dir,
                        "boot",
                        "--workers",
                        "2",
                        "--ranges-per-worker",
                        "4",
                        "--namespace",
                        "namespace0.0:size=256M,mode=fsdax",
                        "--namespace",
                        "namespace1.0:size=258M,mode=devdax,align=2M,map=dev",
                        "--namespace",
                        "raw0:size=8M,mode=raw",
                        "--workload",
                        "pattern=sequential,count=16,threads=2",
                        "--verify",
                        "--json",
                        "--report",
                        report.toString(),
                        "--jfr",
                        jfr.toString(),
                        "--no-progress");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = r.json();
        assertEquals("x86_64", j.get("arch").asText());
        assertEquals("seed", j.get("strategy").asText(), "the default strategy");
        assertEquals(2, j.get("workers").asInt());
        assertEquals(4, j.get("rangesPerWorker").asInt());
        assertEquals("fields", j.get("pageInit").asText());
        assertEquals(3, j.get("namespaces").size());
        for (JsonNode ns : j.get("namespaces")) {
            for (String f :
                    List.of(
                            "name",
                            "mode",
                            "map",
                            "bytes",
                            "pages",
                            "memmapBytes",
                            "async",
                            "addReturnedMs",
                            "availableWhen",
                            "availableAfterMs",
                            "initDoneMs",
                            "pagesInitializedByWorkers",
                            "pagesInitializedInForeground",
                            "firstPfnLatencyMs",
                            "verify")) {
                assertTrue(
                        ns.has(f) || (f.equals("verify") && ns.get("mode").asText().equals("raw")),
                        f + " in " + ns);
            }
            JsonNode latency = ns.get("firstPfnLatencyMs");
            boolean sampled = latency.get("samples").asInt() > 0;
            assertTrue(
                    latency.has("p50") == sampled
                            && latency.has("p99") == sampled
                            && latency.has("max") == sampled,
                    "percentiles exactly when there are samples: " + ns);
        }
        JsonNode fsdax = j.get("namespaces").get(0);
        assertEquals("namespace0.0:size=256M,mode=fsdax,align=2M", fsdax.get("spec").asText());
        assertEquals(
                "namespace1.0:size=258M,mode=devdax,align=2M,map=dev",
                j.get("namespaces").get(1).get("spec").asText());
        assertEquals(
                "pattern=sequential,count=16,threads=2", j.get("workload").get("spec").asText());
        assertEquals("fsdax", fsdax.get("mode").asText());
        assertEquals("mem", fsdax.get("map").asText());
        assertTrue(fsdax.get("async").asBoolean());
        assertEquals(256L << 20, fsdax.get("bytes").asLong());
        assertEquals(65536, fsdax.get("pages").asLong());
        assertEquals(65536L * 64, fsdax.get("memmapBytes").asLong());
        assertEquals(16, fsdax.get("faults").asLong());
        assertEquals(0, fsdax.get("verify").get("pagesBad").asLong());
        assertTrue(fsdax.get("verify").get("pagesChecked").asLong() > 0);
        long initialized =
                fsdax.get("pagesInitializedByWorkers").asLong()
                        + fsdax.get("pagesInitializedInForeground").asLong();
        assertTrue(initialized > 60000 && initialized <= 65536, fsdax.toString());
        JsonNode devdax = j.get("namespaces").get(1);
        assertEquals("dev", devdax.get("map").asText());
        assertEquals("device", devdax.get("memmapIn").asText());
        assertEquals(16, devdax.get("firstPfnLatencyMs").get("samples").asInt());
        JsonNode raw = j.get("namespaces").get(2);
        assertEquals("none", raw.get("map").asText());
        assertEquals(0, raw.get("memmapBytes").asLong());
        assertTrue(Files.readString(report).contains("<svg"));
        long subRangeEvents;
        try (RecordingFile f = new RecordingFile(jfr)) {
            long n = 0;
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                n += e.getEventType().getName().equals("dev.zonedev.SubRangeInit") ? 1 : 0;
            }
            subRangeEvents = n;
        }
        assertTrue(subRangeEvents > 0, "SubRangeInit events in the recording");
    }

    @Test
    void theTemplatePageWriterPassesTheAuditAndIsNamedInTheReport() {
        Cli.Result r =
                Cli.run(
                        dir,
                        "boot",
                        "--workers",
                        "2",
                        "--page-init",
                        "template",
                        "--namespace",
                        "a:size=256M",
                        "--namespace",
                        "b:size=258M,mode=devdax,map=dev",
                        "--workload",
                        "count=16",
                        "--verify",
                        "--json",
                        "--no-progress");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = r.json();
        assertEquals("template", j.get("pageInit").asText());
        for (JsonNode ns : j.get("namespaces")) {
            assertTrue(ns.get("verify").get("ok").asBoolean(), ns.toString());
            assertEquals(0, ns.get("verify").get("pagesBad").asLong(), ns.toString());
        }
        Cli.Result table =
                Cli.run(dir, "boot", "--page-init", "template", "--namespace", "c:size=64M");
        assertEquals(0, table.code(), table.toString());
        assertTrue(table.out().contains("page init template"), table.out());
    }

    @Test
    void aSimulatedTopologyPlacesTheWorkersOnTheNamespacesNodeAndReportsIt() throws Exception {
        Path report = dir.resolve("numa.html");
        Cli.Result r =
                Cli.run(
                        dir,
                        "boot",
                        "--workers",
                        "2",
                        "--nodes",
                        "2",
                        "--namespace",
                        "a:size=256M,nid=1",
                        "--namespace",
                        "b:size=256M,nid=0",
                        "--workload",
                        "count=16",
                        "--json",
                        "--report",
                        report.toString(),
                        "--no-progress");
        assertEquals(0, r.code(), r.toString());
        JsonNode numa = r.json().get("numa");
        assertEquals(2, numa.get("nodes").asInt());
        assertTrue(numa.get("simulated").asBoolean());
        assertFalse(numa.get("binds").asBoolean());
        for (int k = 0; k < 2; k++) {
            JsonNode ns = r.json().get("namespaces").get(k);
            JsonNode placement = ns.get("placement");
            int nid = 1 - k;
            assertEquals(nid, placement.get("nid").asInt(), ns.toString());
            assertFalse(placement.get("workersBound").asBoolean());
            int sum = 0;
            for (var e : placement.get("subRangesByNode").properties()) {
                sum += e.getValue().asInt();
            }
            assertEquals(ns.get("subRanges").asInt(), sum, ns.toString());
            long foreground = ns.get("pagesInitializedInForeground").asLong();
            if (foreground == 0) {
                assertEquals(
                        ns.get("subRanges").asInt(),
                        placement.get("subRangesByNode").get(String.valueOf(nid)).asInt(),
                        "every sub-range by a worker of node " + nid + ": " + ns);
            }
        }
        String html = Files.readString(report);
        assertTrue(html.contains("placed (recorded) on node 1"), html);
        assertTrue(html.contains("on node 1, done at"), html);
    }

    @Test
    void eachStrategyIsNamedAndSaysWhenItsNamespacesBecameAvailable() {
        for (String strategy : List.of("seed", "upstream", "padata", "seed+padata")) {
            Cli.Result r =
                    Cli.run(
                            dir,
                            "boot",
                            "--strategy",
                            strategy,
                            "--workers",
                            "2",
                            "--namespace",
                            "a:size=256M,mode=devdax",
                            "--workload",
                            "count=32",
                            "--verify",
                            "--json",
                            "--no-progress");
            assertEquals(0, r.code(), r.toString());
            JsonNode j = r.json();
            assertEquals(strategy, j.get("strategy").asText());
            JsonNode ns = j.get("namespaces").get(0);
            boolean whenInitialized = strategy.equals("upstream") || strategy.equals("padata");
            assertEquals(
                    whenInitialized ? "initialized" : "add-returns",
                    ns.get("availableWhen").asText(),
                    strategy);
            assertEquals(
                    whenInitialized
                            ? ns.get("initDoneMs").asDouble()
                            : ns.get("addReturnedMs").asDouble(),
                    ns.get("availableAfterMs").asDouble(),
                    strategy + ": " + ns);
            if (whenInitialized) {
                assertEquals(0, ns.get("pagesInitializedInForeground").asLong(), strategy);
            }
            assertEquals(0, ns.get("verify").get("pagesBad").asLong());
            assertEquals(0, ns.get("verify").get("subRangesNotExactlyOnce").asLong());
        }
        Cli.Result table =
                Cli.run(
                        dir,
                        "boot",
                        "--strategy",
                        "upstream",
                        "--namespace",
                        "a:size=64M",
                        "--no-progress");
        assertEquals(0, table.code(), table.toString());
        assertTrue(table.out().contains("strategy upstream"), table.out());
        assertTrue(table.out().contains("(when initialized)"), table.out());
    }

    @Test
    void anUnknownStrategyIsBadInputListingTheAcceptedOnes() {
        Cli.Result r =
                Cli.run(dir, "boot", "--strategy", "fifo", "--namespace", "a:size=64M,file=a.img");
        assertEquals(2, r.code(), r.toString());
        assertTrue(
                r.err()
                        .contains(
                                "strategy \"fifo\" is not available; accepted: padata, seed,"
                                        + " seed+padata, upstream"),
                r.err());
        assertFalse(Files.exists(dir.resolve("a.img")), "nothing created");
    }

    @Test
    void genericArchFallsBackToASynchronousAdd() {
        Cli.Result r =
                Cli.run(
                        dir,
                        "boot",
                        "--arch",
                        "generic",
                        "--workers",
                        "2",
                        "--namespace",
                        "a:size=256M",
                        "--json",
                        "--no-progress");
        assertEquals(0, r.code(), r.toString());
        JsonNode ns = r.json().get("namespaces").get(0);
        assertFalse(ns.get("async").asBoolean());
        assertEquals(ns.get("addReturnedMs").asDouble(), ns.get("initDoneMs").asDouble());
    }

    @Test
    void stayRegistersMemmapStateMBeansUntilStopped() throws Exception {
        Zonedev root = Cli.root(dir);
        AtomicReference<String> seen = new AtomicReference<>();
        root.stay =
                (err, beans) -> {
                    var server = ManagementFactory.getPlatformMBeanServer();
                    var name = MemmapStateMBeans.objectName("pmem0");
                    try {
                        server.invoke(name, "sync", new Object[0], new String[0]);
                        seen.set(
                                (String) server.getAttribute(name, "MemmapState")
                                        + " "
                                        + beans.devices());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                };
        Cli.Result r =
                Cli.run(
                        root,
                        "boot",
                        "--stay",
                        "--namespace",
                        "namespace0.0:size=64M",
                        "--no-progress");
        assertEquals(0, r.code(), r.toString());
        assertEquals("idle [pmem0]", seen.get());
        assertFalse(
                ManagementFactory.getPlatformMBeanServer()
                        .isRegistered(MemmapStateMBeans.objectName("pmem0")));
    }

    @Test
    void realStayReturnsWhenInterrupted() throws Exception {
        Thread.currentThread().interrupt();
        java.io.StringWriter err = new java.io.StringWriter();
        // the interrupt is already pending: the stay returns at once, as Ctrl-C would make it
        Zonedev.stayUntilStopped(new java.io.PrintWriter(err, true), new MemmapBeans());
        assertTrue(err.toString().contains("Ctrl-C"), err.toString());
        assertFalse(Thread.interrupted(), "the interrupt was taken as the stop");
    }

    @Test
    void corruptInfoBlockIsARunTimeFailureAndLeavesTheFileUntouched() throws Exception {
        Path file = dir.resolve("ns.img");
        byte[] junk = new byte[4 << 20];
        java.util.Arrays.fill(junk, (byte) 0x5a);
        Files.write(file, junk);
        Cli.Result r =
                Cli.run(
                        dir,
                        "boot",
                        "--namespace",
                        "ns:size=4M,mode=fsdax,file=" + file,
                        "--no-progress");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("EIO"), r.err());
        assertTrue(java.util.Arrays.equals(junk, Files.readAllBytes(file)), "file untouched");
    }
}
