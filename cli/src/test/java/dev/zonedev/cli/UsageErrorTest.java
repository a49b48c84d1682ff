package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad option, spec and scenario: exit 2, a message saying what is accepted, no file created.
 */
class UsageErrorTest {
    @TempDir Path dir;

    static Stream<Arguments> badBoots() {
        return Stream.of(
                Arguments.of(
                        "unknown arch",
                        new String[] {"--arch", "sparc", "--namespace", "a:size=2M,file=F"},
                        "available: "),
                Arguments.of(
                        "workers out of range",
                        new String[] {"--workers", "0", "--namespace", "a:size=2M,file=F"},
                        "accepted: 1 to 1024"),
                Arguments.of(
                        "ranges out of range",
                        new String[] {
                            "--ranges-per-worker", "0", "--namespace", "a:size=2M,file=F"
                        },
                        "accepted: 1 to"),
                Arguments.of(
                        "unknown page writer",
                        new String[] {"--page-init", "memcpy", "--namespace", "a:size=2M,file=F"},
                        "page init 'memcpy' is not known; accepted: fields, template"),
                Arguments.of(
                        "a node the machine does not have",
                        new String[] {"--namespace", "a:size=2M,nid=1,file=F"},
                        "namespace a: node 1 is not in the topology; accepted: 0 to 0 (1 node, from"
                                + " the machine); --nodes N simulates"),
                Arguments.of(
                        "a node the simulated topology does not have",
                        new String[] {"--nodes", "2", "--namespace", "a:size=2M,nid=2,file=F"},
                        "accepted: 0 to 1 (2 nodes, simulated)"),
                Arguments.of(
                        "nodes out of range",
                        new String[] {"--nodes", "1025", "--namespace", "a:size=2M,file=F"},
                        "accepted: 0 (the machine's) or 1 to 1024 (simulated)"),
                Arguments.of(
                        "size not a multiple of 2M",
                        new String[] {"--namespace", "a:size=3M,file=F"},
                        "multiple of 2M"),
                Arguments.of(
                        "size malformed",
                        new String[] {"--namespace", "a:size=lots,file=F"},
                        "binary suffix"),
                Arguments.of(
                        "no size", new String[] {"--namespace", "a:mode=fsdax,file=F"}, "size="),
                Arguments.of("no name", new String[] {"--namespace", "size=2M"}, "NAME:"),
                Arguments.of(
                        "unknown mode",
                        new String[] {"--namespace", "a:size=2M,mode=btt,file=F"},
                        "accepted: raw, fsdax, devdax"),
                Arguments.of(
                        "unknown map",
                        new String[] {"--namespace", "a:size=2M,map=disk,file=F"},
                        "map=mem"),
                Arguments.of(
                        "unknown key",
                        new String[] {"--namespace", "a:size=2M,colour=red,file=F"},
                        "accepted: size"),
                Arguments.of(
                        "alignment the driver refuses",
                        new String[] {"--namespace", "a:size=64M,align=8K,file=F"},
                        "4096 (4K)"),
                Arguments.of(
                        "duplicate names",
                        new String[] {
                            "--namespace", "a:size=2M,file=F", "--namespace", "a:size=2M"
                        },
                        "given twice"),
                Arguments.of(
                        "missing directory",
                        new String[] {"--namespace", "a:size=2M,file=nodir/x.img"},
                        "does not exist"),
                Arguments.of(
                        "bad workload",
                        new String[] {
                            "--namespace", "a:size=2M,file=F", "--workload", "pattern=zigzag"
                        },
                        "accepted: random or sequential"),
                Arguments.of(
                        "bad workload count",
                        new String[] {"--namespace", "a:size=2M,file=F", "--workload", "count=-1"},
                        "accepted: 0 to"),
                Arguments.of(
                        "report in a missing directory",
                        new String[] {
                            "--namespace", "a:size=2M,file=F", "--report", "nodir/r.html"
                        },
                        "existing directory"),
                Arguments.of(
                        "plugin path not a directory",
                        new String[] {"--namespace", "a:size=2M,file=F", "--plugin-path", "nodir"},
                        "not a directory"),
                Arguments.of(
                        "unknown option",
                        new String[] {"--namespace", "a:size=2M,file=F", "--colour"},
                        "Unknown option"),
                Arguments.of("no namespace", new String[] {}, "--namespace"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBoots")
    void badBootExitsTwoAndCreatesNothing(String what, String[] args, String says)
            throws IOException {
        String[] all =
                Stream.concat(
                                Stream.of("boot", "--data-dir", dir.toString(), "--no-progress"),
                                Stream.of(args).map(a -> a.replace("file=F", "file=ns.img")))
                        .toArray(String[]::new);
        Cli.Result r = Cli.run(dir, all);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(says), "stderr should say " + says + ":\n" + r.err());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing created");
        }
    }

    @Test
    void pluginJarThatProvidesNothingIsRefused() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        try (var jar =
                new java.util.jar.JarOutputStream(
                        Files.newOutputStream(plugins.resolve("empty.jar")))) {
            jar.putNextEntry(new java.util.jar.JarEntry("README"));
            jar.closeEntry();
        }
        Cli.Result r =
                Cli.run(
                        dir,
                        "--plugin-path",
                        plugins.toString(),
                        "list",
                        "--data-dir",
                        dir.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("provides nothing"), r.err());
    }

    @Test
    void unknownCommandExitsTwo() {
        Cli.Result r = Cli.run(dir, "frobnicate");
        assertEquals(2, r.code(), r.toString());
    }

    @Test
    void listOfAMissingDirectoryExitsTwo() {
        Cli.Result r = Cli.run(dir, "list", "--data-dir", dir.resolve("nope").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("accepted: an existing directory"), r.err());
    }

    static Stream<Arguments> badScenarios() {
        return Stream.of(
                Arguments.of("not YAML", "steps: [boot\n  - : :", "not valid YAML"),
                Arguments.of("no steps", "name: empty\n", "no steps"),
                Arguments.of("unknown action", "- boot\n- teleport\n", "accepted: [boot"),
                Arguments.of("two actions", "- {hold: null, release: null}\n", "several actions"),
                Arguments.of(
                        "unknown argument",
                        "- boot: {arch: x86_64, colour: red}\n",
                        "unknown; accepted"),
                Arguments.of("bad expectation", "- boot: {}\n  expect: EWHATEVER\n", "EIO"),
                Arguments.of(
                        "bad spec",
                        "- boot\n- create: \"a:size=3M,file=ns.img\"\n",
                        "multiple of 2M"),
                Arguments.of("bad level", "- boot\n- inject: {level: pmx}\n", "accepted: [pgd"),
                Arguments.of(
                        "bad offset",
                        "- boot\n- access: {namespace: a, offset: 100}\n",
                        "multiple of 4K"),
                Arguments.of(
                        "bad state",
                        "- boot\n- memmap_state: {namespace: a, read: busy}\n",
                        "accepted: active, idle"),
                Arguments.of("unknown arch", "- boot: {arch: vax}\n", "available"),
                Arguments.of(
                        "bad top-level key",
                        "name: x\nsteps: [boot]\nfoo: 1\n",
                        "accepted: name, steps"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badScenarios")
    void badScenarioExitsTwoAndRunsNothing(String what, String yaml, String says)
            throws IOException {
        Path scenarios = Files.createDirectory(dir.resolve("s"));
        Path file = Files.writeString(scenarios.resolve("bad.yaml"), yaml);
        Path data = Files.createDirectory(dir.resolve("data"));
        Cli.Result r = Cli.run(dir, "run", file.toString(), "--data-dir", data.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(says), "stderr should say " + says + ":\n" + r.err());
        assertEquals("", r.out(), "no step ran");
        try (Stream<Path> files = Files.list(data)) {
            assertEquals(0, files.count(), "nothing created");
        }
    }

    @Test
    void missingScenarioFileExitsTwo() {
        Cli.Result r = Cli.run(dir, "run", dir.resolve("none.yaml").toString());
        assertEquals(2, r.code(), r.toString());
    }
}
