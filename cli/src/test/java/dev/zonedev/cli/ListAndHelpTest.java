package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zonedev.api.ZonedevApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListAndHelpTest {
    @TempDir Path dir;

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.get("name").asText()));
        return names;
    }

    @Test
    void listShowsPluginsAndFileBackedNamespacesWithTheirInfoBlocks() throws Exception {
        Cli.Result boot =
                Cli.run(
                        dir,
                        "boot",
                        "--data-dir",
                        dir.toString(),
                        "--no-progress",
                        "--namespace",
                        "namespace0.0:size=64M,mode=fsdax,file=a.img",
                        "--namespace",
                        "namespace1.0:size=64M,mode=devdax,map=dev,file=b.img",
                        "--namespace",
                        "namespace2.0:size=8M,mode=raw,file=c.img");
        assertEquals(0, boot.code(), boot.toString());
        Files.writeString(dir.resolve("notes.txt"), "small files are not namespaces");
        Cli.Result r = Cli.run(dir, "list", "--data-dir", dir.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode j = r.json();
        assertTrue(names(j.get("arches")).containsAll(List.of("x86_64", "generic")), j.toString());
        assertTrue(names(j.get("drivers")).containsAll(List.of("pmem", "devdax")), j.toString());
        assertTrue(
                names(j.get("strategies"))
                        .containsAll(List.of("seed", "upstream", "padata", "seed+padata")),
                j.toString());
        for (JsonNode strategy : j.get("strategies")) {
            boolean waits = List.of("upstream", "padata").contains(strategy.get("name").asText());
            assertEquals(!waits, strategy.get("foregroundSync").asBoolean(), strategy.toString());
            assertEquals(
                    waits ? "initialized" : "add-returns",
                    strategy.get("available").asText(),
                    strategy.toString());
            assertFalse(strategy.get("description").asText().isBlank(), strategy.toString());
        }
        JsonNode ns = j.get("namespaces");
        assertEquals(3, ns.size(), ns.toString());
        assertEquals("fsdax", ns.get(0).get("mode").asText());
        assertEquals("mem", ns.get(0).get("infoBlock").get("map").asText());
        assertEquals("devdax", ns.get(1).get("mode").asText());
        assertEquals("dev", ns.get(1).get("infoBlock").get("map").asText());
        assertEquals(64L << 20, ns.get(1).get("infoBlock").get("namespaceSize").asLong());
        assertEquals("raw", ns.get(2).get("mode").asText());
        assertTrue(ns.get(2).get("infoBlock").isNull());
    }

    @Test
    void listReportsACorruptFileInsteadOfFailing() throws Exception {
        byte[] junk = new byte[16384];
        java.util.Arrays.fill(junk, (byte) 1);
        Files.write(dir.resolve("junk.img"), junk);
        Cli.Result r = Cli.run(dir, "list", "--data-dir", dir.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(
                r.json().get("namespaces").get(0).get("error").asText().contains("EIO"), r.out());
    }

    @Test
    void pluginPathAddsAThirdPartyArch() throws Exception {
        Path plugins = toyArchPlugin("ZonedevApi.VERSION");
        Cli.Result list = listWith(plugins);
        assertEquals(0, list.code(), list.toString());
        assertTrue(names(list.json().get("arches")).contains("toy"), list.out());
        assertEquals(0, list.json().get("refusedPlugins").size(), list.out());
        Cli.Result boot =
                Cli.run(
                        dir,
                        "boot",
                        "--plugin-path",
                        plugins.toString(),
                        "--arch",
                        "toy",
                        "--namespace",
                        "a:size=128M",
                        "--verify",
                        "--json",
                        "--no-progress");
        assertEquals(0, boot.code(), boot.toString());
        assertEquals("toy", boot.json().get("arch").asText());
        assertEquals(
                0, boot.json().get("namespaces").get(0).get("verify").get("pagesBad").asLong());
    }

    @Test
    void anArchBuiltForANewerApiIsRefusedByName() throws Exception {
        Path plugins = toyArchPlugin("ZonedevApi.VERSION + 1");
        Cli.Result list = listWith(plugins);
        assertEquals(0, list.code(), list.toString());
        assertFalse(names(list.json().get("arches")).contains("toy"), list.out());
        assertTrue(
                list.json().get("refusedPlugins").toString().contains("toy.ToyArch"), list.out());
        Cli.Result boot =
                Cli.run(
                        dir,
                        "boot",
                        "--plugin-path",
                        plugins.toString(),
                        "--arch",
                        "toy",
                        "--namespace",
                        "a:size=128M",
                        "--no-progress");
        assertEquals(2, boot.code(), boot.toString());
        String expected =
                "was built for zonedev API "
                        + (ZonedevApi.VERSION + 1)
                        + "; this engine has API "
                        + ZonedevApi.VERSION;
        assertTrue(
                boot.err().contains("\"toy\"") && boot.err().contains(expected), boot.toString());
    }

    /**
     * A plugin directory with one jar holding {@code toy.ToyArch}, whose apiVersion() returns
     * {@code version}.
     */
    private Path toyArchPlugin(String version) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/toy"));
        Files.writeString(
                src.resolve("ToyArch.java"),
                """
                package toy;
                import dev.zonedev.api.*;
                public final class ToyArch implements Arch {
                    public String name() { return "toy"; }
                    public int apiVersion() { return VERSION; }
                    public long sectionSize() { return 128L << 20; }
                    public VmemmapBlockSize vmemmapBlockSize() { return VmemmapBlockSize.BASE_4K; }
                    public void addMemory(AddMemoryRequest request, MemoryHotplug hotplug) { hotplug.addPages(request); }
                }
                """
                        .replace("VERSION;", version + ";"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc =
                ToolProvider.getSystemJavaCompiler()
                        .run(
                                null,
                                null,
                                null,
                                "-d",
                                classes.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                src.resolve("ToyArch.java").toString());
        assertEquals(0, rc);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (JarOutputStream jar =
                new JarOutputStream(Files.newOutputStream(plugins.resolve("toy.jar")))) {
            jar.putNextEntry(new JarEntry("toy/ToyArch.class"));
            jar.write(Files.readAllBytes(classes.resolve("toy/ToyArch.class")));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/services/dev.zonedev.api.Arch"));
            jar.write("toy.ToyArch\n".getBytes());
            jar.closeEntry();
        }
        return plugins;
    }

    @Test
    void helpAndVersionExitZero() {
        for (String[] args :
                List.of(
                        new String[] {"--help"},
                        new String[] {"--version"},
                        new String[] {"help", "boot"},
                        new String[] {"boot", "--help"},
                        new String[] {"run", "--help"},
                        new String[] {"list", "--help"})) {
            Cli.Result r = Cli.run(dir, args);
            assertEquals(0, r.code(), r.toString());
            assertTrue(!r.out().isBlank(), r.toString());
        }
        assertTrue(Cli.run(dir, "--help").out().contains("Exit codes"));
    }

    /** {@code zonedev --plugin-path PLUGINS list} over the test's data directory. */
    private Cli.Result listWith(Path plugins) {
        return Cli.run(
                dir, "--plugin-path", plugins.toString(), "list", "--data-dir", dir.toString());
    }
}
