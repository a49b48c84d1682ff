package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.management.MBeanServer;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObservabilityTest {
    private static final long MIB = 1L << 20;

    @Test
    void memmapStateIsAnMBeanWithASyncOperation() throws Exception {
        try (Engine engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge())
                                .withWorkers(2))) {
            engine.testing().backgroundGate().hold();
            DevicePagemap p =
                    engine.memremapPages(
                            new PagemapRequest(
                                    new PhysicalRange(4L << 30, 64 * MIB),
                                    0,
                                    Optional.empty(),
                                    true));
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            MemmapStateMBeans.Registration r = MemmapStateMBeans.register("pmem0", p);
            assertEquals("active", server.getAttribute(r.name(), "MemmapState"));
            server.invoke(r.name(), "sync", new Object[0], new String[0]);
            assertEquals("idle", server.getAttribute(r.name(), "MemmapState"));
            assertTrue(server.isRegistered(r.name()));
            r.close();
            assertFalse(server.isRegistered(r.name()));
        }
    }

    @Test
    void populationAndSubRangeInitAreJfrEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.zonedev.VmemmapPopulate").withThreshold(java.time.Duration.ZERO);
            recording.enable("dev.zonedev.SubRangeInit").withThreshold(java.time.Duration.ZERO);
            recording.start();
            try (Engine engine =
                    Engine.create(
                            EngineConfig.defaults()
                                    .withMaxPhysicalBytes(1L << 40)
                                    .withArchInstance(TestArch.huge())
                                    .withWorkers(2)
                                    .withRangesPerWorker(4))) {
                engine.memremapPages(
                        new PagemapRequest(
                                new PhysicalRange(4L << 30, 256 * MIB),
                                0,
                                Optional.empty(),
                                false));
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        long populates =
                events.stream()
                        .filter(
                                e ->
                                        e.getEventType()
                                                .getName()
                                                .equals("dev.zonedev.VmemmapPopulate"))
                        .count();
        long inits =
                events.stream()
                        .filter(e -> e.getEventType().getName().equals("dev.zonedev.SubRangeInit"))
                        .mapToLong(e -> e.getLong("pages"))
                        .sum();
        assertEquals(2, populates, "two 128 MiB sections");
        assertEquals(256 * MIB / 4096, inits, "every page in exactly one sub-range event");
    }
}
