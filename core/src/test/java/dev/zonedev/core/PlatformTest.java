package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformTest {
    private static final long MIB = 1L << 20;
    @TempDir Path dir;
    private Platform platform;

    /** A minimal driver: registers the whole namespace as device pages, refuses option fail=yes. */
    static final class WholeRangeDriver implements NamespaceDriver {
        @Override
        public String name() {
            return "whole";
        }

        @Override
        public int apiVersion() {
            return ZonedevApi.VERSION;
        }

        @Override
        public boolean supports(NamespaceDevice device) {
            return device.mode() == NamespaceMode.FSDAX;
        }

        @Override
        public BoundNamespace bind(NamespaceDevice device, DriverContext context) {
            if ("yes".equals(device.options().get("fail"))) {
                throw ZoneDeviceException.invalid("asked to fail");
            }
            DevPagemap pagemap =
                    context.memremapPages(
                            new PagemapRequest(
                                    device.range(), device.nid(), Optional.empty(), true));
            return new BoundNamespace() {
                @Override
                public List<DaxDevice> daxDevices() {
                    return List.of();
                }

                @Override
                public Optional<MemmapControl> memmapControl() {
                    return Optional.of(pagemap);
                }

                @Override
                public void close() {
                    pagemap.close();
                }
            };
        }
    }

    private Platform platform() {
        platform =
                new Platform(
                        Engine.create(
                                EngineConfig.defaults()
                                        .withMaxPhysicalBytes(1L << 40)
                                        .withArchInstance(TestArch.huge())
                                        .withWorkers(2)),
                        List.of(new WholeRangeDriver()));
        return platform;
    }

    @AfterEach
    void close() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void createBindsTheDriverAndPlacesNamespacesApart() {
        platform();
        Namespace a = platform.create(NamespaceSpec.of("a", 64 * MIB, NamespaceMode.FSDAX));
        Namespace b = platform.create(NamespaceSpec.of("b", 64 * MIB, NamespaceMode.FSDAX));
        assertTrue(a.enabled());
        assertFalse(a.range().overlaps(b.range()));
        a.memmapControl().orElseThrow().sync();
        assertEquals(
                dev.zonedev.api.MemmapState.IDLE, a.memmapControl().orElseThrow().memmapState());
        platform.disable("a");
        assertFalse(a.enabled());
        platform.enable("a");
        assertTrue(a.enabled());
    }

    @Test
    void duplicateNamesAndUnboundModesAreRefused() {
        platform();
        platform.create(NamespaceSpec.of("a", 4 * MIB, NamespaceMode.FSDAX));
        assertEquals(
                ErrorCode.EXISTS,
                assertThrows(
                                ZoneDeviceException.class,
                                () ->
                                        platform.create(
                                                NamespaceSpec.of(
                                                        "a", 4 * MIB, NamespaceMode.FSDAX)))
                        .code());
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () -> platform.create(NamespaceSpec.of("r", 4 * MIB, NamespaceMode.RAW)));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("whole"), e.getMessage());
    }

    @Test
    void aFailedCreateLeavesNothingAndNeverTouchesAnExistingFile() throws Exception {
        platform();
        Path fresh = dir.resolve("fresh");
        assertThrows(
                ZoneDeviceException.class,
                () ->
                        platform.create(
                                NamespaceSpec.of("f", 4 * MIB, NamespaceMode.FSDAX)
                                        .withFile(fresh)
                                        .withOption("fail", "yes")));
        assertFalse(Files.exists(fresh), "a file this create made is removed again");
        Path existing = dir.resolve("existing");
        byte[] data = new byte[(int) (4 * MIB)];
        new java.util.Random(1).nextBytes(data);
        Files.write(existing, data);
        assertThrows(
                ZoneDeviceException.class,
                () ->
                        platform.create(
                                NamespaceSpec.of("e", 4 * MIB, NamespaceMode.FSDAX)
                                        .withFile(existing)
                                        .withOption("fail", "yes")));
        assertArrayEquals(data, Files.readAllBytes(existing));
        assertEquals(List.of(), platform.namespaces());
        platform.create(NamespaceSpec.of("f", 4 * MIB, NamespaceMode.FSDAX));
    }

    @Test
    void fileBackedDataOutlivesDestroyAndRestart() throws Exception {
        Path file = dir.resolve("ns0");
        platform();
        Namespace ns =
                platform.create(
                        NamespaceSpec.of("ns0", 8 * MIB, NamespaceMode.FSDAX).withFile(file));
        assertTrue(ns.persistent());
        ns.memory().set(ValueLayout.JAVA_LONG, 6 * MIB, 0x1234_5678_9abc_def0L);
        platform.close();
        platform();
        Namespace again =
                platform.create(
                        NamespaceSpec.of("ns0", 8 * MIB, NamespaceMode.FSDAX).withFile(file));
        assertEquals(0x1234_5678_9abc_def0L, again.memory().get(ValueLayout.JAVA_LONG, 6 * MIB));
        ZoneDeviceException held =
                assertThrows(
                        ZoneDeviceException.class,
                        () ->
                                platform.create(
                                        NamespaceSpec.of("small", 16 * MIB, NamespaceMode.FSDAX)
                                                .withFile(file)));
        assertEquals(ErrorCode.BUSY, held.code(), "the file belongs to ns0 while it exists");
        platform.destroy("ns0");
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () ->
                                platform.create(
                                        NamespaceSpec.of("small", 16 * MIB, NamespaceMode.FSDAX)
                                                .withFile(file)));
        assertEquals(
                ErrorCode.INVALID,
                e.code(),
                "a file shorter than the namespace is refused, not grown");
    }

    @Test
    void specValidationNamesTheAcceptedRange() {
        for (Runnable bad :
                List.<Runnable>of(
                        () -> NamespaceSpec.of("bad name", 2 * MIB, NamespaceMode.RAW),
                        () -> NamespaceSpec.of("x", 3 * MIB, NamespaceMode.RAW),
                        () -> NamespaceSpec.of("x", 0, NamespaceMode.RAW),
                        () -> NamespaceSpec.of("x", 2 * MIB, NamespaceMode.RAW).withAlign(3 * MIB),
                        () ->
                                NamespaceSpec.of("x", 2 * MIB, NamespaceMode.RAW)
                                        .withAlign(2L << 30))) {
            ZoneDeviceException e = assertThrows(ZoneDeviceException.class, bad::run);
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
        }
    }
}
