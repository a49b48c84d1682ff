package dev.zonedev.driver.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.testing.Fixtures;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PmemConcurrencyTest {
    @Test
    void everyPfnHandedOutWasSyncedForAllItsPagesFirst() throws Exception {
        DevPagemap pagemap = mock(DevPagemap.class);
        // pfn -> pages synced, recorded by the (fake) engine
        ConcurrentHashMap<Long, Long> synced = new ConcurrentHashMap<>();
        doAnswer(
                        inv -> {
                            synced.merge(
                                    inv.getArgument(0, Long.class),
                                    inv.getArgument(1, Long.class),
                                    Math::max);
                            return null;
                        })
                .when(pagemap)
                .memmapSync(anyLong(), anyLong());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Arena arena = Arena.ofShared();
                PmemNamespace bound =
                        (PmemNamespace)
                                new PmemDriver()
                                        .bind(
                                                Fixtures.anonymous(
                                                        arena,
                                                        NamespaceMode.FSDAX,
                                                        Fixtures.SIZE,
                                                        Map.of()),
                                                Fixtures.context(pagemap))) {
            PmemDevice pmem = bound.device();
            pmem.badblocks().add(new BadSectorRange(8 * 1000, 8));
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                                    for (int i = 0; i < 500; i++) {
                                        long pgoff = rnd.nextLong(pmem.nrPages() - 64);
                                        if (pgoff == 1000) {
                                            continue;
                                        }
                                        DirectAccess a =
                                                pmem.directAccess(
                                                        pgoff, 1 + rnd.nextLong(63), true);
                                        long pfn = a.pfn().orElseThrow().value();
                                        assertEquals(pmem.pfnOf(pgoff), pfn);
                                        assertTrue(
                                                synced.getOrDefault(pfn, 0L) >= a.availablePages(),
                                                "pfn handed out unsynced");
                                        assertTrue(
                                                pgoff + a.availablePages() <= 1000 || pgoff > 1000,
                                                "ran into the bad block");
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
