package dev.zonedev.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The module layout is the architecture: api depends on the JDK only, plugins on api only, core on
 * no plugin, the cli and the benchmarks on api and core only (the shipped plugins join them at run
 * time). Checked twice: in the poms (what Maven would put on the class path) and in the compiled
 * classes (what the code actually references).
 */
class ModuleRulesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> PLUGINS =
            List.of("arch-x86_64", "arch-generic", "driver-pmem", "driver-devdax");

    /** Compile-only annotations a plugin may use: they leave nothing on the runtime class path. */
    private static final Set<String> ANNOTATION_ONLY =
            Set.of("com.google.auto.service:auto-service-annotations");

    @Test
    void apiDeclaresNoDependency() throws Exception {
        assertEquals(List.of(), shippedDependencies("api"));
    }

    @Test
    void pluginsDependOnApiOnly() throws Exception {
        for (String plugin : PLUGINS) {
            assertEquals(List.of("dev.zonedev:zonedev-api"), shippedDependencies(plugin), plugin);
        }
    }

    @Test
    void theTckBringsTheEngineTheShippedArchesAndTheTestLibrariesButNoDriver() throws Exception {
        assertEquals(
                List.of(
                        "dev.zonedev:zonedev-core",
                        "dev.zonedev:zonedev-arch-x86_64",
                        "dev.zonedev:zonedev-arch-generic",
                        "org.junit.jupiter:junit-jupiter",
                        "org.mockito:mockito-junit-jupiter"),
                shippedDependencies("tck"));
    }

    @Test
    void coreDependsOnNoPlugin() throws Exception {
        List<String> deps = shippedDependencies("core");
        for (String plugin : PLUGINS) {
            assertTrue(
                    deps.stream().noneMatch(d -> d.endsWith("zonedev-" + plugin)),
                    "core depends on " + plugin);
        }
        List<String> testDeps = dependencies("core", true);
        for (String plugin : PLUGINS) {
            assertTrue(
                    testDeps.stream().noneMatch(d -> d.endsWith("zonedev-" + plugin)),
                    "core tests use " + plugin);
        }
    }

    @Test
    void theCliAndTheBenchmarksTakeThePluginsAtRunTimeOnly() throws Exception {
        for (String module : List.of("cli", "bench")) {
            for (String plugin : PLUGINS) {
                assertEquals(
                        "runtime", scope(module, "zonedev-" + plugin), module + " on " + plugin);
            }
        }
    }

    @Test
    void theCliAndTheBenchmarksReachDevicesThroughTheApiAlone() {
        JavaClasses classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.zonedev.cli", "dev.zonedev.bench");
        assertTrue(
                List.of("dev.zonedev.cli", "dev.zonedev.bench").stream()
                        .allMatch(
                                p -> classes.stream().anyMatch(c -> c.getPackageName().equals(p))),
                "the cli and bench classes are on the test class path");
        noClasses()
                .that()
                .resideInAnyPackage("dev.zonedev.cli..", "dev.zonedev.bench..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.zonedev.driver..", "dev.zonedev.arch..")
                .because("a third-party driver must get from the command what a shipped one gets")
                .check(classes);
    }

    @Test
    void compiledClassesKeepTheRules() {
        JavaClasses classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.zonedev");
        noClasses()
                .that()
                .resideInAPackage("dev.zonedev.api..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("dev.zonedev.api..", "java..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.zonedev.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.zonedev.arch..", "dev.zonedev.driver..", "dev.zonedev.cli..")
                .check(classes);
        noClasses()
                .that()
                .resideInAnyPackage("dev.zonedev.arch..", "dev.zonedev.driver..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.zonedev.core..", "dev.zonedev.cli..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.zonedev.tck..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.zonedev.arch..", "dev.zonedev.driver..", "dev.zonedev.cli..")
                .check(classes);
    }

    @Test
    void theThirdPartyDriverIsWrittenAgainstTheApiAlone() {
        JavaClasses classes = new ClassFileImporter().importPackages("dev.zonedev.it.thirdparty");
        noClasses()
                .that()
                .resideInAPackage("dev.zonedev.it.thirdparty..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.zonedev.core..",
                        "dev.zonedev.driver..",
                        "dev.zonedev.arch..",
                        "dev.zonedev.cli..")
                .check(classes);
    }

    /**
     * groupId:artifactId of the module's compile and runtime dependencies, minus annotation-only
     * ones.
     */
    private static List<String> shippedDependencies(String module) throws Exception {
        return dependencies(module, false).stream()
                .filter(d -> !ANNOTATION_ONLY.contains(d))
                .toList();
    }

    private static List<String> dependencies(String module, boolean withTests) throws Exception {
        Path pom = ROOT.resolve(module).resolve("pom.xml");
        assertTrue(Files.exists(pom), "no pom at " + pom);
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        NodeList deps =
                ((Element) doc.getElementsByTagName("dependencies").item(0))
                        .getElementsByTagName("dependency");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String scope = text(d, "scope");
            if (!withTests && "test".equals(scope)) {
                continue;
            }
            out.add(text(d, "groupId") + ":" + text(d, "artifactId"));
        }
        return out;
    }

    /**
     * The scope the module declares for {@code dev.zonedev:artifactId} (compile when none), or
     * null.
     */
    private static String scope(String module, String artifactId) throws Exception {
        var doc =
                DocumentBuilderFactory.newInstance()
                        .newDocumentBuilder()
                        .parse(ROOT.resolve(module).resolve("pom.xml").toFile());
        NodeList deps =
                ((Element) doc.getElementsByTagName("dependencies").item(0))
                        .getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if ("dev.zonedev".equals(text(d, "groupId"))
                    && artifactId.equals(text(d, "artifactId"))) {
                String scope = text(d, "scope");
                return scope == null ? "compile" : scope;
            }
        }
        return null;
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().strip();
    }
}
