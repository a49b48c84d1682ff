package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Engine#anyVmemmapLockHeld()} sees every vmemmap lock (second half of defect 10 of issue
 * 9).
 */
class VmemmapLocksTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private Engine engine;

    @AfterEach
    void close() {
        TestHooks.disarmAll();
        if (engine != null) {
            engine.close();
        }
    }

    private Engine engine() {
        engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge())
                                .withWorkers(1)
                                .withRangesPerWorker(2));
        return engine;
    }

    @Test
    void aHeldSectionPopulateLockCounts() {
        engine();
        AtomicInteger reached = new AtomicInteger();
        AtomicInteger seen = new AtomicInteger();
        TestHooks.arm(
                TestHooks.Point.SECTION_LOCKED,
                () -> {
                    reached.incrementAndGet();
                    if (engine.testing().anyVmemmapLockHeld()) {
                        seen.incrementAndGet();
                    }
                });
        engine.memremapPages(
                new PagemapRequest(
                        new PhysicalRange(4 * GIB, 256 * MIB), 0, Optional.empty(), false));
        assertTrue(reached.get() > 0);
        assertEquals(reached.get(), seen.get(), "every time a section's populate lock was held");
        TestHooks.disarmAll();
        assertFalse(engine.testing().anyVmemmapLockHeld());
    }

    @Test
    void aHeldAltmapLockCounts() throws Exception {
        engine();
        PhysicalRange range = new PhysicalRange(4 * GIB, 256 * MIB);
        DeviceMemory device = DeviceMemory.anonymous("pmem0", range);
        try {
            engine.testing().physicalMemory().register(device);
            VmemAltmap altmap = VmemAltmap.of(range.startPfn(), 0, 4096);
            DevicePagemap p =
                    engine.memremapPages(new PagemapRequest(range, 0, Optional.of(altmap), false));
            assertFalse(engine.testing().anyVmemmapLockHeld());
            // another thread holds the altmap's lock, and no other lock, until released
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            FutureTask<Long> alloc = new FutureTask<>(() -> p.addedRange().altmap().allocBlock(1));
            Thread holder = Thread.ofPlatform().daemon().unstarted(alloc);
            TestHooks.arm(
                    TestHooks.Point.ALTMAP_LOCKED,
                    () -> {
                        if (Thread.currentThread() == holder) {
                            locked.countDown();
                            TeardownTest.await(release);
                        }
                    });
            holder.start();
            TeardownTest.await(locked);
            boolean seen = engine.testing().anyVmemmapLockHeld();
            release.countDown();
            alloc.get(60, TimeUnit.SECONDS);
            assertTrue(seen, "the altmap lock was held");
            assertFalse(engine.testing().anyVmemmapLockHeld());
            p.close();
        } finally {
            engine.close();
            device.close();
        }
    }
}
