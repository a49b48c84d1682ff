package dev.zonedev.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin author's first hour, run for real: {@code archetype:generate} from the driver archetype,
 * then the generated project's build, both offline. The artifacts this build just made are staged
 * into a fresh local repository, chained in front of the build's own (which holds the plugins and
 * libraries), so nothing is installed and nothing is downloaded.
 */
class ArchetypeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Modules whose artifacts the generated project resolves, with their packaging's file. */
    private static final List<String> STAGED =
            List.of(
                    "api",
                    "core",
                    "arch-x86_64",
                    "arch-generic",
                    "strategies",
                    "tck",
                    "driver-archetype");

    @TempDir Path dir;

    @Test
    void generatesADriverProjectThatPassesTheTckOffline() throws Exception {
        String version = reactorVersion();
        Path repo = stageArtifacts(version);
        Path work = Files.createDirectories(dir.resolve("work"));
        run(
                work,
                repo,
                "org.apache.maven.plugins:maven-archetype-plugin:3.4.1:generate",
                "-DinteractiveMode=false",
                "-DarchetypeCatalog=local",
                "-DarchetypeGroupId=dev.zonedev",
                "-DarchetypeArtifactId=zonedev-driver-archetype",
                "-DarchetypeVersion=" + version,
                "-DgroupId=com.example",
                "-DartifactId=mydriver",
                "-Dversion=1.0",
                "-Dpackage=com.example.mydriver",
                "-DdriverName=mine",
                "-DdriverClass=MyDriver");
        Path project = work.resolve("mydriver");
        String driver =
                Files.readString(
                        project.resolve("src/main/java/com/example/mydriver/MyDriver.java"));
        assertTrue(
                driver.contains("@AutoService(NamespaceDriver.class)")
                        && driver.contains("return \"mine\";"));

        run(project, repo, "verify");
        String report =
                Files.readString(
                        project.resolve(
                                "target/surefire-reports/com.example.mydriver.MyDriverConformanceTest.txt"));
        Matcher m =
                Pattern.compile("Tests run: (\\d+), Failures: 0, Errors: 0, Skipped: 0")
                        .matcher(report);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 7, report);
        String services =
                Files.readString(
                        project.resolve(
                                "target/classes/META-INF/services/dev.zonedev.api.NamespaceDriver"));
        assertEquals("com.example.mydriver.MyDriver", services.strip());
    }

    @Test
    void theArchetypeDefaultsToThisVersionOfZonedev() throws Exception {
        String metadata =
                Files.readString(
                        ROOT.resolve(
                                "driver-archetype/src/main/resources/META-INF/maven/archetype-metadata.xml"));
        assertTrue(
                metadata.contains(
                        "<requiredProperty key=\"zonedevVersion\"><defaultValue>"
                                + reactorVersion()
                                + "</defaultValue>"),
                "archetype-metadata.xml's zonedevVersion default differs from the reactor's");
    }

    /**
     * A local repository holding this build's artifacts (and the parent and BOM poms) in Maven's
     * layout.
     */
    private Path stageArtifacts(String version) throws IOException {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        stage(repo, "zonedev-parent", version, ROOT.resolve("pom.xml"), null);
        stage(repo, "zonedev-bom", version, ROOT.resolve("bom/pom.xml"), null);
        for (String module : STAGED) {
            String artifact = "zonedev-" + module;
            Path jar =
                    ROOT.resolve(module)
                            .resolve("target")
                            .resolve(artifact + "-" + version + ".jar");
            assertTrue(Files.isRegularFile(jar), jar + " is not built");
            stage(repo, artifact, version, ROOT.resolve(module).resolve("pom.xml"), jar);
        }
        return repo;
    }

    private static void stage(Path repo, String artifact, String version, Path pom, Path jar)
            throws IOException {
        Path to =
                Files.createDirectories(
                        repo.resolve("dev/zonedev").resolve(artifact).resolve(version));
        Files.copy(
                pom,
                to.resolve(artifact + "-" + version + ".pom"),
                StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(
                    jar,
                    to.resolve(artifact + "-" + version + ".jar"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Runs this repository's Maven wrapper offline in {@code cwd}; fails with its output unless it
     * exits 0.
     */
    private void run(Path cwd, Path repo, String... args) throws Exception {
        String tail = System.getProperty("zonedev.localRepository");
        assertTrue(
                tail != null && Files.isDirectory(Path.of(tail)),
                "the build's local repository: " + tail);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                ROOT.resolve("mvnw").toString(),
                                "-o",
                                "-B",
                                "-q",
                                "-Dmaven.repo.local=" + repo,
                                "-Dmaven.repo.local.tail=" + tail));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "mvn", ".log");
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .directory(cwd.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        pb.environment().remove("MAVEN_OPTS");
        pb.environment().remove("MAVEN_ARGS");
        Process p = pb.start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(
                ended && p.exitValue() == 0,
                String.join(" ", command)
                        + (ended ? " exited " + p.exitValue() : " did not end in 5 minutes")
                        + ":\n"
                        + Files.readString(log));
    }

    private static String reactorVersion() throws Exception {
        var doc =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(ROOT.resolve("pom.xml").toFile());
        return ((org.w3c.dom.Element)
                        doc.getDocumentElement().getElementsByTagName("version").item(0))
                .getTextContent()
                .strip();
    }
}
