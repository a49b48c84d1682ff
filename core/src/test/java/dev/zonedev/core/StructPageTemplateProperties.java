package dev.zonedev.core;

import static dev.zonedev.api.testing.Gens.ints;
import static dev.zonedev.api.testing.Gens.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.testing.Props;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The template writer ({@link PageInit#TEMPLATE}) writes exactly the bytes of the fields writer
 * ({@link StructPage#initSubRange}) for any sub-range: across section boundaries, across the
 * altmap/device split, for pieces shorter and longer than the staging block, and nothing outside
 * the sub-range.
 */
class StructPageTemplateProperties {
    private static final int PAGES = 4096;
    private static final long GARBAGE = 0x5a5a5a5a5a5a5a5aL;

    @Test
    void theTemplateWriterWritesWhatTheFieldsWriterWrites() {
        Props.check(
                500,
                ints(0, PAGES),
                ints(0, PAGES),
                ints(2, 12),
                longs(0, PAGES),
                ints(0, 1023),
                StructPageTemplateProperties::sameBytes);
    }

    private static void sameBytes(int a, int b, int shift, long deviceStart, int nid) {
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        long base = StructPage.baseFlags(nid);
        long pgmap = 1000 + nid;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment byFields = garbage(arena);
            MemorySegment byTemplate = garbage(arena);
            StructPage.initSubRange(byFields, from, to, deviceStart, base, shift, pgmap);
            StructPageTemplate.initSubRange(
                    byTemplate,
                    from,
                    to,
                    deviceStart,
                    shift,
                    StructPageTemplate.altmap(base),
                    StructPageTemplate.device(base, pgmap));
            assertEquals(-1, byFields.mismatch(byTemplate), "first differing byte");
            for (long pfn = from; pfn < to; pfn++) {
                boolean device = pfn >= deviceStart;
                assertTrue(
                        StructPage.matches(
                                byTemplate,
                                pfn,
                                nid,
                                shift,
                                device ? pgmap : 0L,
                                device ? StructPage.LIST_POISON2 : 0L),
                        "pfn " + pfn);
            }
            assertUntouched(byTemplate, 0, from);
            assertUntouched(byTemplate, to, PAGES);
        }
    }

    private static MemorySegment garbage(Arena arena) {
        MemorySegment s = arena.allocate((long) PAGES << 6, 64);
        s.fill((byte) 0x5a);
        return s;
    }

    private static void assertUntouched(MemorySegment s, long fromPfn, long toPfn) {
        for (long off = fromPfn << 6; off < toPfn << 6; off += 8) {
            assertEquals(GARBAGE, s.get(ValueLayout.JAVA_LONG, off), "offset " + off);
        }
    }
}
