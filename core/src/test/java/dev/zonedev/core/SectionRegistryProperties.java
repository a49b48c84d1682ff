package dev.zonedev.core;

import static dev.zonedev.api.testing.Gens.booleans;
import static dev.zonedev.api.testing.Gens.ints;
import static dev.zonedev.api.testing.Gens.lists;
import static dev.zonedev.api.testing.Gens.longs;
import static dev.zonedev.api.testing.Gens.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.Props;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@link SectionRegistry} against a simple model (two {@link BitSet}s of sub-sections) over any
 * sequence of reserves and releases, across chunk boundaries: the same refusals, the same answers
 * to every query, and exactly the chunks that hold a set bit allocated.
 */
class SectionRegistryProperties {
    /** Sub-sections per chunk of the registry's bitmaps. */
    private static final long CHUNK = 1L << ChunkedBitmap.CHUNK_BITS_SHIFT;

    /** Four chunks of physical address space: 256 GiB. */
    private static final long SUBSECTIONS = 4 * CHUNK;

    /** One reserve ({@code reserve}) or release of {@code [from, from + length)} sub-sections. */
    record Op(boolean reserve, long from, long length, boolean flat) {
        PhysicalRange range() {
            return new PhysicalRange(
                    from << Pages.SUBSECTION_SHIFT, length << Pages.SUBSECTION_SHIFT);
        }
    }

    @Test
    void theRegistryAnswersLikeTheModel() {
        Props.check(300, lists(ops(), 1, 40), SectionRegistryProperties::answersLikeTheModel);
    }

    private static void answersLikeTheModel(List<Op> ops) {
        SectionRegistry registry =
                new SectionRegistry(128L << 20, SUBSECTIONS << Pages.SUBSECTION_SHIFT);
        BitSet present = new BitSet();
        BitSet flat = new BitSet();
        for (Op op : ops) {
            int from = (int) op.from();
            int to = (int) (op.from() + op.length());
            if (!op.reserve()) {
                registry.release(op.range());
                present.clear(from, to);
                flat.clear(from, to);
            } else if (present.nextSetBit(from) >= 0 && present.nextSetBit(from) < to) {
                ZoneDeviceException e =
                        assertThrows(
                                ZoneDeviceException.class,
                                () -> registry.reserve(op.range(), op.flat()));
                assertEquals(ErrorCode.EXISTS, e.code());
                long first = (long) present.nextSetBit(from) << Pages.SUBSECTION_SHIFT;
                assertEquals(
                        true,
                        e.getMessage()
                                .contains(
                                        new PhysicalRange(first, Pages.SUBSECTION_SIZE).toString()),
                        e.getMessage());
            } else {
                registry.reserve(op.range(), op.flat());
                present.set(from, to);
                if (op.flat()) {
                    flat.set(from, to);
                }
            }
            assertSameAnswers(registry, present, flat, op);
        }
    }

    private static void assertSameAnswers(
            SectionRegistry registry, BitSet present, BitSet flat, Op op) {
        long[] probes = {
            op.from() - 1, op.from(), op.from() + op.length() - 1, op.from() + op.length()
        };
        for (long p : probes) {
            for (long len : new long[] {1, 2, 65, CHUNK}) {
                long from = Math.max(0, p);
                long to = Math.min(SUBSECTIONS, from + len);
                long start = from << Pages.SUBSECTION_SHIFT;
                long end = to << Pages.SUBSECTION_SHIFT;
                assertEquals(
                        any(present, from, to), registry.anyPresent(start, end), op + " " + from);
                assertEquals(
                        any(flat, from, to), registry.anyFlatPresent(start, end), op + " " + from);
            }
        }
        assertEquals(
                (chunksWithBits(present) + chunksWithBits(flat)) * ChunkedBitmap.CHUNK_WORDS * 8L,
                registry.bitmapBytes(),
                "exactly the chunks holding a set bit are allocated");
    }

    private static boolean any(BitSet bits, long from, long to) {
        int set = bits.nextSetBit((int) from);
        return set >= 0 && set < to;
    }

    private static long chunksWithBits(BitSet bits) {
        long n = 0;
        for (long c = 0; c < SUBSECTIONS / CHUNK; c++) {
            n += any(bits, c * CHUNK, (c + 1) * CHUNK) ? 1 : 0;
        }
        return n;
    }

    /** Ranges anywhere, and ranges that start or end near a chunk or word boundary. */
    private static Gen<Op> ops() {
        Gen<Long> anywhere = longs(0, SUBSECTIONS - 1);
        Gen<Long> nearBoundary =
                ints(1, 3).zip(ints(-70, 70), (c, d) -> Math.max(0, c * CHUNK + d));
        Gen<Long> length = oneOf(longs(1, 130), longs(1, 2 * CHUNK + 10));
        return booleans()
                .zip(
                        oneOf(anywhere, nearBoundary),
                        length,
                        booleans(),
                        (reserve, from, len, flat) ->
                                new Op(
                                        reserve || from % 3 == 0,
                                        from,
                                        Math.min(len, SUBSECTIONS - from),
                                        flat));
    }
}
