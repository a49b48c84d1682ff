package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.zonedev.api.Arch;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapAvailability;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.VmemmapBlockSize;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API handshake: one check for arches, drivers and strategies, at discovery and for explicit
 * instances.
 */
class PluginHandshakeTest {

    @Test
    void acceptsThisVersionAndOlderOnes() {
        for (int v = 1; v <= ZonedevApi.VERSION; v++) {
            assertEquals(Optional.empty(), PluginHandshake.refusal("arch", arch("a", v)));
        }
    }

    @Test
    void refusesANewerApiNamingThePluginItsVersionAndTheEngines() {
        String reason =
                PluginHandshake.refusal("arch", arch("future", ZonedevApi.VERSION + 1))
                        .orElseThrow();
        assertTrue(reason.contains("\"future\""), reason);
        assertTrue(reason.contains("API " + (ZonedevApi.VERSION + 1)), reason);
        assertTrue(reason.contains("this engine has API " + ZonedevApi.VERSION), reason);
    }

    @Test
    void refusesANonsenseVersionAndAPluginWithoutOne() {
        assertTrue(PluginHandshake.refusal("driver", driver("zero", 0)).isPresent());
        NamespaceDriver old = mock(NamespaceDriver.class);
        when(old.name()).thenReturn("old");
        when(old.apiVersion()).thenThrow(new AbstractMethodError("apiVersion"));
        assertTrue(
                PluginHandshake.refusal("driver", old)
                        .orElseThrow()
                        .contains("declares no zonedev API version"));
    }

    @Test
    void anExplicitArchOrDriverBuiltForANewerApiIsRefused() {
        Arch future = arch("future", ZonedevApi.VERSION + 1);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> ArchDiscovery.select("future", List.of(future)));
        assertEquals(ErrorCode.INVALID, e.code());
        try (Engine engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.base()))) {
            ZoneDeviceException d =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    new Platform(
                                            engine,
                                            List.of(driver("future", ZonedevApi.VERSION + 1))));
            assertTrue(d.getMessage().contains("\"future\""), d.getMessage());
        }
    }

    @Test
    void discoveryLeavesOutANewerPluginAndSaysWhy(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(
                services.resolve(Arch.class.getName()), FutureArch.class.getName() + "\n");
        List<String> refused = new ArrayList<>();
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            List<Arch> arches = ArchDiscovery.load(Arch.class, loader, refused::add);
            assertTrue(arches.stream().noneMatch(a -> a instanceof FutureArch), arches.toString());
        }
        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.getFirst().contains(FutureArch.class.getName()), refused.toString());
    }

    @Test
    void aStrategyBuiltForANewerApiIsRefusedAtDiscoveryAndSelection(@TempDir Path dir)
            throws Exception {
        MemmapStrategy future = mock(MemmapStrategy.class);
        when(future.name()).thenReturn("future");
        when(future.apiVersion()).thenReturn(ZonedevApi.VERSION + 1);
        when(future.availability()).thenReturn(MemmapAvailability.ADD_RETURNS);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> ArchDiscovery.selectStrategy("future", List.of(future)));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(
                e.getMessage().contains("this engine has API " + ZonedevApi.VERSION),
                e.getMessage());
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(
                services.resolve(MemmapStrategy.class.getName()),
                FutureStrategy.class.getName() + "\n");
        List<String> refused = new ArrayList<>();
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            List<MemmapStrategy> found =
                    ArchDiscovery.load(MemmapStrategy.class, loader, refused::add);
            assertTrue(
                    found.stream().noneMatch(s -> s instanceof FutureStrategy), found.toString());
            ZoneDeviceException create =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    Engine.create(
                                            EngineConfig.defaults()
                                                    .withArchInstance(TestArch.base())
                                                    .withStrategy("future")
                                                    .withPluginLoader(loader)));
            assertTrue(
                    create.getMessage()
                            .contains("strategy \"future\" is not available; accepted: "),
                    create.getMessage());
        }
        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.getFirst().contains("MemmapStrategy \"future\""), refused.toString());
    }

    @Test
    void anUnknownStrategyIsRefusedListingTheAcceptedNames() {
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () ->
                                Engine.create(
                                        EngineConfig.defaults()
                                                .withArchInstance(TestArch.base())
                                                .withStrategy("nonesuch")));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(
                e.getMessage().contains("accepted: seed, test-none, test-pass, test-scripted"),
                e.getMessage());
        assertThrows(ZoneDeviceException.class, () -> EngineConfig.defaults().withStrategy(" "));
    }

    private static Arch arch(String name, int version) {
        Arch a = mock(Arch.class);
        when(a.name()).thenReturn(name);
        when(a.apiVersion()).thenReturn(version);
        when(a.sectionSize()).thenReturn(128L << 20);
        when(a.vmemmapBlockSize()).thenReturn(VmemmapBlockSize.HUGE_2M);
        return a;
    }

    private static NamespaceDriver driver(String name, int version) {
        NamespaceDriver d = mock(NamespaceDriver.class);
        when(d.name()).thenReturn(name);
        when(d.apiVersion()).thenReturn(version);
        return d;
    }

    /** An arch provider that claims an API this engine does not have yet. */
    public static final class FutureArch implements Arch {
        @Override
        public String name() {
            return "future";
        }

        @Override
        public int apiVersion() {
            return ZonedevApi.VERSION + 1;
        }

        @Override
        public long sectionSize() {
            return 128L << 20;
        }

        @Override
        public VmemmapBlockSize vmemmapBlockSize() {
            return VmemmapBlockSize.HUGE_2M;
        }

        @Override
        public void addMemory(
                dev.zonedev.api.AddMemoryRequest request, dev.zonedev.api.MemoryHotplug hotplug) {
            hotplug.addPages(request);
        }
    }

    /** A strategy provider that claims an API this engine does not have yet. */
    public static final class FutureStrategy implements MemmapStrategy {
        @Override
        public String name() {
            return "future";
        }

        @Override
        public int apiVersion() {
            return ZonedevApi.VERSION + 1;
        }

        @Override
        public void start(dev.zonedev.api.MemmapWork work) {}

        @Override
        public boolean foregroundSync() {
            return true;
        }

        @Override
        public MemmapAvailability availability() {
            return MemmapAvailability.ADD_RETURNS;
        }
    }
}
