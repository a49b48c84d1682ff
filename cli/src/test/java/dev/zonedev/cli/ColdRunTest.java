package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command does for a cold run: the report says what its clock covers and what ran before
 * it; no MBean server and no JFR unless asked for (checked in fresh JVMs by the classes they load);
 * and the launcher's AOT cache is named after the jar and the JDK.
 */
class ColdRunTest {
    @TempDir Path dir;

    @Test
    void theReportSaysWhatTheClockCoversAndWhatRanBefore() {
        Cli.Result r =
                Cli.run(
                        dir,
                        "boot",
                        "--workers",
                        "2",
                        "--namespace",
                        "n:size=256M",
                        "--json",
                        "--no-progress");
        assertEquals(0, r.code(), r.toString());
        JsonNode p = r.json().get("platform");
        assertTrue(
                p != null && p.get("warmUpMs").isNumber() && p.get("warmUpMs").asDouble() > 0,
                r.out());
        assertTrue(p.get("loopCompiledAfterWarmUp").isBoolean(), p.toString());
        assertTrue(p.get("loopCompiledBeforeFirstCreate").isBoolean(), p.toString());
        assertTrue(
                p.get("clock").asText().contains("from the start of each namespace's create"),
                p.toString());
        // the figures are flagged exactly when the loop was not compiled at the first create
        assertEquals(
                !p.get("loopCompiledBeforeFirstCreate").asBoolean(), p.has("note"), p.toString());
        JsonNode ns = r.json().get("namespaces").get(0);
        assertTrue(ns.get("async").asBoolean());
        assertTrue(ns.get("initDoneMs").asDouble() > 0, ns.toString());
    }

    @Test
    void theTableSaysItToo() {
        Cli.Result r =
                Cli.run(
                        dir,
                        "boot",
                        "--workers",
                        "2",
                        "--namespace",
                        "n:size=64M",
                        "--no-progress");
        assertEquals(0, r.code(), r.toString());
        assertTrue(
                r.out().contains("times from the start of each create; engine warm-up before:"),
                r.out());
    }

    @Test
    void noMBeanServerAndNoJfrWithoutStayJmxOrJfr() throws Exception {
        String out =
                child(
                        "boot",
                        "--workers",
                        "2",
                        "--namespace",
                        "n:size=64M",
                        "--json",
                        "--no-progress");
        assertTrue(out.contains("dev.zonedev.cli.BootRun "), "the class log works");
        assertFalse(
                out.contains("com.sun.jmx.mbeanserver.JmxMBeanServer "), "no MBean server started");
        assertFalse(out.contains("dev.zonedev.core.MemmapStateMBeans"), "no MBean registered");
        assertFalse(out.contains("jdk.jfr.internal."), "JFR never started");
        assertFalse(out.contains("dev.zonedev.core.MemmapEvents$"), "no JFR event class loaded");
    }

    @Test
    void jmxRegistersTheBeansWithoutStaying() throws Exception {
        String out =
                child(
                        "boot",
                        "--workers",
                        "2",
                        "--namespace",
                        "n:size=64M",
                        "--json",
                        "--no-progress",
                        "--jmx");
        assertTrue(
                out.contains("com.sun.jmx.mbeanserver.JmxMBeanServer "),
                "the MBean server started");
        assertTrue(out.contains("dev.zonedev.core.MemmapStateMBeans"), "memmap_state registered");
    }

    @Test
    void theAotCacheIsNamedAfterTheJarAndTheJdk() throws Exception {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("zonedev");
        Path home = Files.createDirectories(dir.resolve("repo/cli/target"));
        Files.copy(script, dir.resolve("repo/zonedev"));
        Path jar = home.resolve("zonedev.jar");
        Files.writeString(jar, "one jar");
        Path realJdk = Path.of(System.getProperty("java.home"));
        Path jdk = Files.createDirectories(dir.resolve("jdk"));
        Files.createSymbolicLink(jdk.resolve("bin"), realJdk.resolve("bin"));
        Files.createSymbolicLink(jdk.resolve("lib"), realJdk.resolve("lib"));
        Files.copy(realJdk.resolve("release"), jdk.resolve("release"));

        String first = cachePath(jdk);
        assertEquals(
                home.toRealPath(),
                Path.of(first).getParent().toRealPath(),
                "beside the jar: " + first);
        assertTrue(
                Path.of(first)
                        .getFileName()
                        .toString()
                        .matches("zonedev-[0-9a-f]{16}-[0-9a-f]{12}\\.aot"),
                first);
        assertEquals(first, cachePath(jdk), "stable while nothing changes");

        Files.writeString(jar, "a rebuilt jar");
        String rebuilt = cachePath(jdk);
        assertNotEquals(first, rebuilt, "a new jar gets a new cache");

        Files.writeString(
                jdk.resolve("release"),
                Files.readString(jdk.resolve("release")) + "JAVA_RUNTIME_VERSION=x\n");
        String otherJdk = cachePath(jdk);
        assertNotEquals(rebuilt, otherJdk, "another JDK gets a new cache");
        assertEquals(
                rebuilt.substring(0, rebuilt.lastIndexOf('-')),
                otherJdk.substring(0, otherJdk.lastIndexOf('-')),
                "same jar part");
    }

    private String cachePath(Path jdk) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder("sh", dir.resolve("repo/zonedev").toString())
                        .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", jdk.toString());
        env.put("ZONEDEV_AOT_PRINT", "1");
        env.remove("ZONEDEV_AOT");
        return run(pb).strip();
    }

    /** The command in a fresh JVM with its class loading logged; stdout and stderr together. */
    private static String child(String... args) throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "--enable-native-access=ALL-UNNAMED",
                                "-Xlog:class+load=info",
                                "-cp",
                                System.getProperty("java.class.path"),
                                Zonedev.class.getName()));
        cmd.addAll(List.of(args));
        return run(new ProcessBuilder(cmd).redirectErrorStream(true));
    }

    private static String run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "ended");
        List<String> lines = out.lines().toList();
        assertEquals(
                0,
                p.exitValue(),
                String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        return out;
    }
}
