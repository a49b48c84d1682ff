package dev.zonedev.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.MemmapWork;
import dev.zonedev.api.MemmapWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * padata's arithmetic on a work without an engine: thread count, chunk size, every unit in exactly
 * one chunk, the cursor handing chunks to whoever asks.
 */
class PadataChunksTest {
    private static final long SECTION = 32768; // 128 MiB of 4 KiB pages

    /** A work whose workers run one after another in the calling thread, recording the units. */
    private record FakeWork(
            int units,
            long unitPages,
            long firstPfn,
            int workersRequested,
            List<Integer> done,
            List<Integer> who)
            implements MemmapWork {
        FakeWork(int units, long unitPages, long firstPfn, int workers) {
            this(units, unitPages, firstPfn, workers, new ArrayList<>(), new ArrayList<>());
        }

        @Override
        public long sectionPages() {
            return SECTION;
        }

        @Override
        public long pages() {
            return units * unitPages;
        }

        @Override
        public boolean startWorker(Consumer<MemmapWorker> body) {
            int index = started++;
            body.accept(
                    new MemmapWorker() {
                        @Override
                        public int index() {
                            return index;
                        }

                        @Override
                        public boolean claimAndInitialize(int unit) {
                            done.add(unit);
                            who.add(index);
                            return true;
                        }

                        @Override
                        public boolean stopping() {
                            return false;
                        }
                    });
            return true;
        }

        @Override
        public boolean stopping() {
            return false;
        }

        private static int started;
    }

    @Test
    void chunksFollowPadatasFormulaWithAlignedEnds() {
        // 16 GiB: 4 Mi pages, 4 threads: max(4 Mi / 16, one section) = 256 Ki pages = 8 sections
        FakeWork work = new FakeWork(512, 8192, 1L << 20, 4);
        PadataChunks chunks = new PadataChunks(work);
        assertEquals(4, chunks.threads());
        assertEquals(8 * SECTION, chunks.chunkPages());
        assertEquals(16, chunks.chunks());
        // a small range: one section, so one thread and one chunk however many workers
        PadataChunks small = new PadataChunks(new FakeWork(4, 8192, 1L << 20, 8));
        assertEquals(1, small.threads());
        assertEquals(SECTION, small.chunkPages());
        assertEquals(1, small.chunks());
    }

    @Test
    void everyUnitBelongsToExactlyOneChunkEvenWhenUnitsDoNotDivideSections() {
        // units of 12345 pages from an unaligned first pfn
        FakeWork work = new FakeWork(1000, 12345, (1L << 20) + 4096, 3);
        PadataChunks chunks = new PadataChunks(work);
        chunks.start();
        List<Integer> sorted = new ArrayList<>(work.done());
        sorted.sort(null);
        assertEquals(1000, sorted.size(), "every unit once");
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, sorted.get(i));
        }
        assertTrue(chunks.chunks() > 1);
    }
}
