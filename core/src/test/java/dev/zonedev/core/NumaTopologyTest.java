package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NUMA placement: the topology read from sysfs or simulated, nodes checked against it, threads
 * bound on a real multi-node topology and the decision recorded otherwise, and the node of every
 * sub-range in the log.
 */
class NumaTopologyTest {
    static final long GIB = 1L << 30;

    @TempDir Path dir;

    @Test
    void aCpuListParsesToItsCpus() {
        BitSet cpus = NumaTopology.parseCpuList("0-3,8,10-11\n");
        assertEquals("{0, 1, 2, 3, 8, 10, 11}", cpus.toString());
        assertTrue(NumaTopology.parseCpuList("\n").isEmpty(), "a node without CPUs");
    }

    @Test
    void sysfsNodesAreReadAndAMissingDirectoryIsOneNode() throws Exception {
        node(0, "0");
        node(1, "1");
        Files.createDirectories(dir.resolve("power")); // not a node
        NumaTopology t = NumaTopology.detect(dir);
        assertEquals(2, t.nodes());
        assertFalse(t.simulated());
        assertTrue(t.binds());
        assertEquals(1, t.nodeOfCpu(1));
        assertEquals(-1, t.nodeOfCpu(7));
        NumaTopology none = NumaTopology.detect(dir.resolve("absent"));
        assertEquals(1, none.nodes());
        assertFalse(none.binds(), "one node: placement is recorded only");
        assertEquals(Runtime.getRuntime().availableProcessors(), none.cpus(0).cardinality());
    }

    @Test
    void onARealTwoNodeTopologyAWorkerIsBoundToItsNodeAndGivenBackItsCpus() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        node(0, "0");
        node(1, "1-" + Math.max(1, cpus - 1));
        NumaTopology t = NumaTopology.detect(dir);
        long[] before = Native.schedGetaffinity(16);
        try (NumaPlacement placed = t.placeCurrentThread(1)) {
            if (cpus > 1) {
                assertTrue(placed.bound());
                assertEquals(1, t.currentNode(), "the thread runs on node 1's CPUs");
            }
            assertEquals(1, placed.node());
        }
        assertEquals(
                java.util.Arrays.toString(before),
                java.util.Arrays.toString(Native.schedGetaffinity(16)),
                "the thread's CPUs are given back");
        long length = 2L << 20;
        long address =
                Native.mmap(
                        0,
                        length,
                        Native.PROT_READ | Native.PROT_WRITE,
                        Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_NORESERVE,
                        -1,
                        0);
        try {
            assertTrue(t.bindMemory(address, length, 0), "mbind to node 0, which the kernel has");
            boolean kernelHasNode1 = Files.exists(Path.of("/sys/devices/system/node/node1"));
            assertEquals(kernelHasNode1, t.bindMemory(address, length, 1));
        } finally {
            Native.munmap(address, length);
        }
    }

    @Test
    void aSimulatedTopologyRecordsPlacementAndRefusesUnknownNodes() {
        NumaTopology t = NumaTopology.simulated(3);
        assertEquals(3, t.nodes());
        assertTrue(t.simulated());
        assertFalse(t.binds());
        try (NumaPlacement placed = t.placeCurrentThread(2)) {
            assertFalse(placed.bound());
            assertEquals(2, placed.node());
        }
        assertFalse(t.bindMemory(0, 4096, 1), "a simulated topology binds no memory");
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> t.placeCurrentThread(3));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(
                e.getMessage().contains("accepted: 0 to 2 (3 nodes, simulated)"), e.getMessage());
        assertThrows(ZoneDeviceException.class, () -> NumaTopology.simulated(0));
        assertThrows(ZoneDeviceException.class, () -> EngineConfig.defaults().withNodes(1025));
        assertThrows(ZoneDeviceException.class, () -> EngineConfig.defaults().withNodes(-1));
    }

    @Test
    void theSubRangeLogNamesTheNodeOfEverySubRange() {
        try (Engine engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge())
                                .withWorkers(2)
                                .withRangesPerWorker(8)
                                .withNodes(2))) {
            assertEquals(2, engine.numa().nodes());
            ZoneDeviceException refused =
                    assertThrows(
                            ZoneDeviceException.class,
                            () ->
                                    engine.memremapPages(
                                            new PagemapRequest(
                                                    new PhysicalRange(4 * GIB, GIB),
                                                    2,
                                                    Optional.empty(),
                                                    true)));
            assertEquals(ErrorCode.INVALID, refused.code());
            assertTrue(refused.getMessage().contains("node 2 is not in the topology"));
            engine.testing().backgroundGate().hold();
            DevicePagemap p =
                    engine.memremapPages(
                            new PagemapRequest(
                                    new PhysicalRange(4 * GIB, GIB), 1, Optional.empty(), true));
            p.memmapSync(p.firstDevicePfn(), 1); // one sub-range in the foreground
            engine.testing().backgroundGate().release();
            p.sync();
            SubRangeLog log = p.subRangeLog();
            assertEquals(1, log.nid());
            assertEquals(1, p.nid());
            assertFalse(log.workersBound(), "a simulated topology is never bound to");
            int foreground = 0;
            for (int i = 0; i < log.size(); i++) {
                if (log.foreground(i)) {
                    assertTrue(
                            log.ranOnNode()[i] == 0 || log.ranOnNode()[i] == 1,
                            "the caller's CPU's node: " + log.ranOnNode()[i]);
                    foreground++;
                } else {
                    assertEquals(1, log.ranOnNode()[i], "a worker works for the namespace's node");
                }
            }
            assertTrue(foreground > 0);
            assertEquals(
                    log.size(),
                    log.subRangesByNode().values().stream().mapToInt(Integer::intValue).sum());
            p.close();
        }
    }

    @Test
    void theMachinesOwnTopologyRefusesANodeItDoesNotHave() {
        try (Engine engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge()))) {
            int nodes = engine.numa().nodes();
            assertFalse(engine.numa().simulated());
            assertThrows(
                    ZoneDeviceException.class,
                    () ->
                            engine.memremapPages(
                                    new PagemapRequest(
                                            new PhysicalRange(4 * GIB, GIB),
                                            nodes,
                                            Optional.empty(),
                                            true)));
        }
    }

    private void node(int id, String cpulist) throws Exception {
        Path d = Files.createDirectories(dir.resolve("node" + id));
        Files.writeString(d.resolve("cpulist"), cpulist + "\n");
    }
}
