package dev.zonedev.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DaxMapping;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pfn;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.driver.devdax.DevDaxDevice;
import dev.zonedev.driver.pmem.FsDax;
import dev.zonedev.driver.pmem.PmemNamespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped drivers on the real engine, with the async (x86_64) and the sync-fallback (generic)
 * arch.
 */
class DriversOnEngineTest {
    private static final long MIB = 1L << 20;
    @TempDir Path dir;

    private static Platform platform(String arch) {
        return Platform.create(EngineConfig.defaults().withArch(arch).withWorkers(2));
    }

    private static DevicePagemap pagemapOf(Platform platform, long pfn) {
        return platform.engine().memremap().pagemapOf(pfn).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "generic"})
    void pmemHandsOutNoPfnBeforeItsStructPagesAreInitialized(String arch) {
        try (Platform platform = platform(arch)) {
            platform.engine().testing().backgroundGate().hold();
            for (String map : new String[] {"mem", "dev"}) {
                Namespace ns =
                        platform.create(
                                NamespaceSpec.of("pmem-" + map, 512 * MIB, NamespaceMode.FSDAX)
                                        .withOption("map", map));
                DaxDevice dax = ns.daxDevices().getFirst();
                Random random = new Random(7);
                for (int i = 0; i < 50; i++) {
                    long pgoff = (long) (random.nextDouble() * (dax.nrPages() - 64));
                    DirectAccess access = dax.directAccess(pgoff, 1 + random.nextInt(64), true);
                    Pfn pfn = access.pfn().orElseThrow();
                    assertTrue(pfn.hasPage());
                    DevicePagemap pagemap = pagemapOf(platform, pfn.value());
                    for (long p = pfn.value(); p < pfn.value() + access.availablePages(); p++) {
                        assertTrue(
                                pagemap.isPageInitialized(p),
                                map + ": pfn " + p + " handed out uninitialized");
                    }
                }
                MemmapControl control = ns.memmapControl().orElseThrow();
                assertEquals(
                        arch.equals("generic") ? MemmapState.IDLE : MemmapState.ACTIVE,
                        control.memmapState());
                control.write("sync");
                assertEquals(MemmapState.IDLE, control.memmapState());
                assertTrue(pagemapOf(platform, ns.range().startPfn()).audit().ok());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "generic"})
    void theNoPfnPathGoesThroughWhileTheBackgroundIsHeld(String arch) {
        try (Platform platform = platform(arch)) {
            platform.engine().testing().backgroundGate().hold();
            Namespace ns = platform.create(NamespaceSpec.of("fs", 256 * MIB, NamespaceMode.FSDAX));
            FsDax fs = new FsDax(((PmemNamespace) ns.bound().orElseThrow()).device());
            byte[] data = "written without a pfn".getBytes(StandardCharsets.UTF_8);
            fs.write(100 * MIB + 3, data);
            assertArrayEquals(data, fs.read(100 * MIB + 3, data.length));
            DevicePagemap pagemap = pagemapOf(platform, ns.range().startPfn());
            if (pagemap.async()) {
                assertEquals(
                        0,
                        pagemap.pagesInitializedInForeground(),
                        "no pfn asked, no memmap work done");
                assertEquals(0, pagemap.pagesInitializedByWorkers());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "generic"})
    void devdaxFaultsSyncTheirWholeSizeBeforeMapping(String arch) {
        try (Platform platform = platform(arch)) {
            platform.engine().testing().backgroundGate().hold();
            Namespace ns =
                    platform.create(NamespaceSpec.of("dax", 512 * MIB, NamespaceMode.DEVDAX));
            DevDaxDevice dev = (DevDaxDevice) ns.daxDevices().getFirst();
            for (long offset : new long[] {0, 2 * MIB, 100 * MIB, dev.size() - 2 * MIB}) {
                DaxMapping mapping = dev.fault(offset, FaultSize.PMD);
                DevicePagemap pagemap = pagemapOf(platform, mapping.pfn().value());
                for (long p = mapping.pfn().value(); p < mapping.pfn().value() + 512; p++) {
                    assertTrue(pagemap.isPageInitialized(p));
                }
                assertEquals(mapping, dev.mappingAt(offset).orElseThrow());
            }
            ZoneDeviceException e =
                    assertThrows(ZoneDeviceException.class, () -> dev.fault(4096, FaultSize.PMD));
            assertEquals(ErrorCode.INVALID, e.code());
            platform.disable("dax");
            e = assertThrows(ZoneDeviceException.class, () -> dev.fault(0, FaultSize.PMD));
            assertEquals(ErrorCode.NO_DEVICE, e.code());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "generic"})
    void fileBackedDataSurvivesRestartAndASwitchToDevdax(String arch) {
        Path file = dir.resolve("pmem0.img");
        byte[] data = "persistent bytes".getBytes(StandardCharsets.UTF_8);
        long pos = 64 * MIB + 17;
        try (Platform platform = platform(arch)) {
            Namespace ns =
                    platform.create(
                            NamespaceSpec.of("pmem0", 256 * MIB, NamespaceMode.FSDAX)
                                    .withFile(file)
                                    .withOption("map", "dev"));
            new FsDax(((PmemNamespace) ns.bound().orElseThrow()).device()).write(pos, data);
        }
        try (Platform platform = platform(arch)) {
            Namespace ns =
                    platform.create(
                            NamespaceSpec.of("pmem0", 256 * MIB, NamespaceMode.FSDAX)
                                    .withFile(file)
                                    .withOption("map", "dev"));
            assertArrayEquals(
                    data,
                    new FsDax(((PmemNamespace) ns.bound().orElseThrow()).device())
                            .read(pos, data.length));
        }
        try (Platform platform = platform(arch)) {
            Namespace ns =
                    platform.create(
                            NamespaceSpec.of("pmem0", 256 * MIB, NamespaceMode.DEVDAX)
                                    .withFile(file)
                                    .withOption("relabel", "true"));
            DaxDevice dax = ns.daxDevices().getFirst();
            DirectAccess access = dax.directAccess(pos / 4096, 1, true);
            byte[] read = new byte[data.length];
            java.lang.foreign.MemorySegment.copy(
                    access.kernelAddress(),
                    java.lang.foreign.ValueLayout.JAVA_BYTE,
                    pos % 4096,
                    read,
                    0,
                    read.length);
            assertArrayEquals(data, read);
            assertTrue(
                    pagemapOf(platform, access.pfn().orElseThrow().value())
                            .isPageInitialized(access.pfn().orElseThrow().value()));
        }
    }

    /**
     * Defect 2 of issue 9: a disable from an interrupted thread used to leave the range registered
     * (EEXIST on enable).
     */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "generic"})
    void disableFromAnInterruptedThreadReleasesTheRangeSoEnableWorks(String arch) {
        try (Platform platform = platform(arch)) {
            platform.engine()
                    .testing()
                    .backgroundGate()
                    .hold(); // the memmap workers still run when disable begins
            for (NamespaceMode mode :
                    new NamespaceMode[] {NamespaceMode.FSDAX, NamespaceMode.DEVDAX}) {
                String name = "ns-" + mode.text();
                platform.create(NamespaceSpec.of(name, 512 * MIB, mode));
                Thread.currentThread().interrupt();
                try {
                    platform.disable(name);
                } finally {
                    assertTrue(Thread.interrupted(), "the interrupt flag is kept");
                }
                assertTrue(
                        platform.engine().memremap().livePagemaps().isEmpty(),
                        "the pagemap was torn down");
                platform.enable(name);
                Namespace ns = platform.namespace(name);
                assertTrue(ns.enabled());
                ns.memmapControl().orElseThrow().sync();
                assertEquals(MemmapState.IDLE, ns.memmapControl().orElseThrow().memmapState());
                platform.disable(name);
            }
        }
    }
}
