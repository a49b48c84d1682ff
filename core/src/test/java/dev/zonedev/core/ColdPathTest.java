package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a cold run must not pay, checked in fresh JVMs (a class, once loaded, stays loaded): no JFR
 * event class and no JFR machinery without a recording, and a warm-up whose "compiled" verdict
 * cannot come from code that is not C2.
 */
class ColdPathTest {

    /** A whole async add with workers, a foreground sync and teardown, in a fresh JVM. */
    public static final class Child {
        public static void main(String[] args) {
            try (Engine engine =
                    Engine.create(
                            EngineConfig.defaults()
                                    .withMaxPhysicalBytes(1L << 40)
                                    .withArchInstance(TestArch.huge())
                                    .withWorkers(2)
                                    .withRangesPerWorker(4))) {
                engine.testing().backgroundGate().hold();
                DevicePagemap p =
                        engine.memremapPages(
                                new PagemapRequest(
                                        new PhysicalRange(4L << 30, 256L << 20),
                                        0,
                                        Optional.empty(),
                                        true));
                p.memmapSync(
                        p.firstDevicePfn() + 10, 1); // a foreground sub-range while workers wait
                engine.testing().backgroundGate().release();
                p.sync();
                EngineWarmUp.Result w = engine.warmUp();
                System.out.println(
                        "warm-up compiled="
                                + w.loopCompiled()
                                + " nsPerPage="
                                + w.nsPerPage()
                                + " probe="
                                + EngineWarmUp.loopCompiledNow());
                p.close();
            }
        }
    }

    @Test
    void withoutARecordingNoJfrEventClassIsLoadedAndJfrNeverStarts() throws Exception {
        String out = child(List.of("-Xlog:class+load=info"));
        assertTrue(
                out.contains("dev.zonedev.core.MemmapInitializer "),
                "the class log works:\n" + tail(out));
        assertTrue(out.contains("dev.zonedev.core.MemmapEvents "), "the guard itself is used");
        assertFalse(
                out.contains("dev.zonedev.core.MemmapEvents$"),
                "no event class (nor the code naming them)"
                        + " loaded:\n"
                        + grep(out, "MemmapEvents"));
        assertFalse(
                out.contains("jdk.jfr.internal."),
                "JFR's machinery never started:\n" + grep(out, "jdk.jfr"));
    }

    @Test
    void withARecordingTheEventClassesAreUsed() throws Exception {
        String out = child(List.of("-Xlog:class+load=info", "-XX:StartFlightRecording"));
        assertTrue(
                out.contains("dev.zonedev.core.MemmapEvents$SubRangeInit "),
                grep(out, "MemmapEvents"));
        assertTrue(
                out.contains("dev.zonedev.core.MemmapEvents$Populate "), grep(out, "MemmapEvents"));
    }

    @Test
    void theWarmUpNeverCallsC1CodeCompiled() throws Exception {
        // one-sided by design: C1 code is ~40x slower than the threshold, so with C1 only the
        // verdict must be "not compiled" however fast or slow the machine is
        String out = child(List.of("-XX:TieredStopAtLevel=1"));
        assertTrue(out.contains("warm-up compiled=false"), out);
        assertTrue(out.contains("probe=false"), out);
    }

    @Test
    void theWarmUpRunsOncePerJvmAndReportsItself() {
        try (Engine a = Engine.create(EngineConfig.defaults().withArchInstance(TestArch.huge()));
                Engine b =
                        Engine.create(EngineConfig.defaults().withArchInstance(TestArch.huge()))) {
            assertTrue(a.warmUp().millis() > 0);
            assertEquals(a.warmUp(), b.warmUp(), "one warm-up per JVM");
            assertEquals(a.warmUp(), EngineWarmUp.result());
        }
    }

    private static String child(List<String> jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Child.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "child ended");
        assertEquals(0, p.exitValue(), tail(out));
        return out;
    }

    private static String grep(String out, String word) {
        return String.join("\n", out.lines().filter(l -> l.contains(word)).limit(20).toList());
    }

    private static String tail(String out) {
        List<String> lines = out.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
