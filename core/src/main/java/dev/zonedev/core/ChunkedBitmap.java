package dev.zonedev.core;

/**
 * A bitmap over {@code [0, size)} stored as chunks of {@value #CHUNK_WORDS} {@code long} words,
 * each allocated when a bit in it is first set and dropped when its last bit is cleared, so that a
 * sparse bitmap costs only its chunks with bits set (plus one reference per chunk of the whole).
 * Not thread-safe: the owner synchronizes.
 */
final class ChunkedBitmap {
    /** Words per chunk. */
    static final int CHUNK_WORDS = 512;

    /** log2 of the bits per chunk (64 a word, 512 words). */
    static final int CHUNK_BITS_SHIFT = 6 + 9;

    private final long size;
    private final long[][] chunks;
    private int allocated;

    /** An empty bitmap of {@code size} bits; allocates no chunk yet. */
    ChunkedBitmap(long size) {
        this.size = size;
        long nrChunks = (size + (1L << CHUNK_BITS_SHIFT) - 1) >>> CHUNK_BITS_SHIFT;
        this.chunks = new long[Math.toIntExact(nrChunks)][];
    }

    /** Number of bits. */
    long size() {
        return size;
    }

    /** Chunks allocated now. */
    int chunksAllocated() {
        return allocated;
    }

    /** Sets bits {@code [from, to)}, {@code 0 <= from <= to <= size}. */
    void set(long from, long to) {
        for (long bit = from; bit < to; bit = nextWord(bit)) {
            int c = (int) (bit >>> CHUNK_BITS_SHIFT);
            if (chunks[c] == null) {
                chunks[c] = new long[CHUNK_WORDS];
                allocated++;
            }
            chunks[c][wordIn(bit)] |= mask(bit, to);
        }
    }

    /** Clears bits {@code [from, to)} (clamped to the bitmap) and drops chunks left empty. */
    void clear(long from, long to) {
        long end = Math.min(to, size);
        for (long bit = from; bit < end; bit = nextWord(bit)) {
            int c = (int) (bit >>> CHUNK_BITS_SHIFT);
            long[] chunk = chunks[c];
            if (chunk == null) {
                bit = ((long) c + 1 << CHUNK_BITS_SHIFT) - 64; // nextWord: the next chunk
                continue;
            }
            chunk[wordIn(bit)] &= ~mask(bit, end);
            if (nextWord(bit) >= Math.min(end, (long) c + 1 << CHUNK_BITS_SHIFT)
                    && isEmpty(chunk)) {
                chunks[c] = null;
                allocated--;
            }
        }
    }

    /** The first set bit of {@code [from, to)} (clamped to the bitmap), or -1. */
    long firstSet(long from, long to) {
        long end = Math.min(to, size);
        for (long bit = from; bit < end; bit = nextWord(bit)) {
            long[] chunk = chunks[(int) (bit >>> CHUNK_BITS_SHIFT)];
            if (chunk == null) {
                bit = ((bit >>> CHUNK_BITS_SHIFT) + 1 << CHUNK_BITS_SHIFT) - 64;
                continue;
            }
            long word = chunk[wordIn(bit)] & mask(bit, end);
            if (word != 0) {
                return (bit & -64) + Long.numberOfTrailingZeros(word);
            }
        }
        return -1;
    }

    private static boolean isEmpty(long[] chunk) {
        for (long w : chunk) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    private static int wordIn(long bit) {
        return (int) (bit >>> 6) & (CHUNK_WORDS - 1);
    }

    private static long nextWord(long bit) {
        return (bit | 63) + 1;
    }

    /** The bits of {@code bit}'s word from {@code bit} on and below {@code to}. */
    private static long mask(long bit, long to) {
        long m = -1L << bit; // shifts use the low six bits
        long left = to - (bit & -64);
        return left < 64 ? m & ((1L << left) - 1) : m;
    }
}
