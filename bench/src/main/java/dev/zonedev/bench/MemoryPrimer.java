package dev.zonedev.bench;

import dev.zonedev.api.Pages;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Touches and frees huge-page memory, untimed, before a timed pass. On this VM a guest page that
 * was freed a while ago costs a host fault when touched again (the kernel's zeroing of it runs
 * several times slower), so whichever pass runs first after a pause pays for it; priming gives
 * every pass the same start.
 */
final class MemoryPrimer {
    private MemoryPrimer() {}

    /**
     * Touches {@code bytes} of fresh huge-page memory on {@code threads} threads, then frees it.
     */
    static void prime(long bytes, int threads) throws InterruptedException {
        try (HugePages pages = HugePages.map(bytes)) {
            MemorySegment memory = pages.memory();
            Thread[] workers = new Thread[threads];
            for (int k = 0; k < threads; k++) {
                long from = bytes * k / threads & -Pages.PAGE_SIZE;
                long to = bytes * (k + 1) / threads;
                workers[k] =
                        Thread.ofPlatform()
                                .start(
                                        () -> {
                                            for (long off = from;
                                                    off < to;
                                                    off += Pages.PAGE_SIZE) {
                                                memory.set(ValueLayout.JAVA_BYTE, off, (byte) 1);
                                            }
                                        });
            }
            for (Thread t : workers) {
                t.join();
            }
        }
    }
}
