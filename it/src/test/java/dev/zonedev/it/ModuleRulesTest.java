package dev.zonedev.it;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.zonedev.core.ArchDiscovery;
import dev.zonedev.core.BackgroundGate;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.EngineTesting;
import dev.zonedev.core.EngineWarmUp;
import dev.zonedev.core.FailureLog;
import dev.zonedev.core.FaultInjector;
import dev.zonedev.core.MemmapAudit;
import dev.zonedev.core.MemmapStateMBeans;
import dev.zonedev.core.MemmapStateMXBean;
import dev.zonedev.core.Memremap;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.NumaPlacement;
import dev.zonedev.core.NumaTopology;
import dev.zonedev.core.PageInit;
import dev.zonedev.core.PhysicalMemory;
import dev.zonedev.core.Platform;
import dev.zonedev.core.PluginHandshake;
import dev.zonedev.core.Sizes;
import dev.zonedev.core.SubRangeLog;
import dev.zonedev.core.VmemmapLevel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
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
            List.of("arch-x86_64", "arch-generic", "strategies", "driver-pmem", "driver-devdax");

    /** core's supported surface, as {@code core/package-info.java} lists it. */
    private static final Class<?>[] CORE_PUBLIC_SURFACE = {
        Platform.class,
        Namespace.class,
        NamespaceSpec.class,
        EngineConfig.class,
        Engine.class,
        EngineWarmUp.class,
        Memremap.class,
        DevicePagemap.class,
        MemmapAudit.class,
        SubRangeLog.class,
        PageInit.class,
        NumaTopology.class,
        NumaPlacement.class,
        FailureLog.class,
        MemmapStateMBeans.class,
        MemmapStateMXBean.class,
        ArchDiscovery.class,
        PluginHandshake.class,
        Sizes.class
    };

    /** core's test-only facade and the types it hands out. */
    private static final Class<?>[] CORE_TEST_ONLY = {
        EngineTesting.class,
        FaultInjector.class,
        BackgroundGate.class,
        PhysicalMemory.class,
        VmemmapLevel.class
    };

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
    void theTckBringsTheEngineTheShippedArchesAndStrategiesAndTheTestLibrariesButNoDriver()
            throws Exception {
        assertEquals(
                List.of(
                        "dev.zonedev:zonedev-core",
                        "dev.zonedev:zonedev-arch-x86_64",
                        "dev.zonedev:zonedev-arch-generic",
                        "dev.zonedev:zonedev-strategies",
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
                .resideInAnyPackage(
                        "dev.zonedev.driver..", "dev.zonedev.arch..", "dev.zonedev.strategy..")
                .because("a third-party driver must get from the command what a shipped one gets")
                .check(classes);
    }

    /**
     * The cli and the benchmarks use core's public surface only, as {@code core/package-info.java}
     * lists it, and the test-only facade ({@link EngineTesting} with the types it hands out); in
     * the cli only the scenario and soak code, which inject faults and hold background work on
     * purpose, may reach the facade.
     */
    @Test
    void theCliAndTheBenchmarksUseCoresPublicSurfaceAndTheCliTheFacadeOnlyInScenariosAndSoaks() {
        JavaClasses classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.zonedev.cli", "dev.zonedev.bench");
        classes()
                .that()
                .resideInAnyPackage("dev.zonedev.cli..", "dev.zonedev.bench..")
                .should()
                .onlyDependOnClassesThat(
                        resideOutsideOfPackage("dev.zonedev.core..")
                                .or(belongToAnyOf(CORE_PUBLIC_SURFACE))
                                .or(belongToAnyOf(CORE_TEST_ONLY)))
                .because("core's other public types serve its own wiring and may change")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.zonedev.cli..")
                .and()
                .haveNameNotMatching("dev\\.zonedev\\.cli\\.(Soak|Scenario)[^.]*")
                .should()
                .dependOnClassesThat(belongToAnyOf(CORE_TEST_ONLY))
                .because("only scenarios and soak runs force failures on purpose")
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
                        "dev.zonedev.arch..",
                        "dev.zonedev.strategy..",
                        "dev.zonedev.driver..",
                        "dev.zonedev.cli..")
                .check(classes);
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.zonedev.arch..", "dev.zonedev.strategy..", "dev.zonedev.driver..")
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
                        "dev.zonedev.arch..",
                        "dev.zonedev.strategy..",
                        "dev.zonedev.driver..",
                        "dev.zonedev.cli..")
                .check(classes);
    }

    /**
     * No split package: of the zonedev artifacts on this class path (every module's jar, the bench
     * included), only core's holds classes of {@code dev.zonedev.core}. Benchmarks of core
     * internals live in core's own test sources.
     */
    @Test
    void onlyTheCoreJarHoldsTheCorePackage() throws IOException {
        Map<String, Boolean> holdsCore = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String artifact = zonedevArtifact(path);
            if (artifact != null && Files.exists(path)) {
                holdsCore.merge(artifact, holds(path, "dev/zonedev/core/"), Boolean::logicalOr);
            }
        }
        assertTrue(
                holdsCore
                        .keySet()
                        .containsAll(List.of("zonedev-core", "zonedev-bench", "zonedev-cli")),
                "the module jars are on the test class path: " + holdsCore.keySet());
        assertEquals(
                List.of("zonedev-core"),
                holdsCore.entrySet().stream()
                        .filter(Map.Entry::getValue)
                        .map(Map.Entry::getKey)
                        .toList(),
                "artifacts holding dev.zonedev.core");
    }

    /** The artifact id of a zonedev jar or a module's classes directory, else null. */
    private static String zonedevArtifact(Path path) {
        String name = path.getFileName().toString();
        if (name.startsWith("zonedev-") && name.endsWith(".jar")) {
            return name.replaceFirst("-\\d.*$", "");
        }
        if (name.equals("classes") && path.startsWith(ROOT)) {
            return "zonedev-" + ROOT.relativize(path).getName(0);
        }
        return null;
    }

    /** True when the jar or directory has an entry under {@code prefix}. */
    private static boolean holds(Path path, String prefix) throws IOException {
        if (Files.isDirectory(path)) {
            return Files.isDirectory(path.resolve(prefix));
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            return jar.stream().anyMatch(e -> e.getName().startsWith(prefix));
        }
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
