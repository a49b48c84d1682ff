package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsyncDomainTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AsyncDomain domain = new AsyncDomain("test", executor, (w, t) -> failures.add(w));

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void cookiesIncreaseAndSynchronizeWaitsOnlyForEarlierEntries() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        long first = domain.schedule("first", () -> await(releaseFirst));
        long second = domain.schedule("second", () -> await(releaseSecond));
        assertEquals(first + 1, second);
        assertFalse(domain.synchronizeCookie(second, Duration.ofMillis(50)), "first still runs");
        releaseFirst.countDown();
        assertTrue(
                domain.synchronizeCookie(second, Duration.ofSeconds(10)),
                "everything before second is done");
        assertEquals(1, domain.pendingCount());
        releaseSecond.countDown();
        assertTrue(domain.synchronizeFull(Duration.ofSeconds(10)));
        assertEquals(0, domain.pendingCount());
    }

    @Test
    void aThrowingEntryIsReportedAndCountsAsFinished() throws Exception {
        domain.schedule(
                "boom",
                () -> {
                    throw new IllegalStateException("boom");
                });
        assertTrue(domain.synchronizeFull(Duration.ofSeconds(10)));
        assertEquals(List.of("test/boom"), failures);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
