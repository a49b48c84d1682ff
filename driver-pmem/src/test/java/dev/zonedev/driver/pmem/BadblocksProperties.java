package dev.zonedev.driver.pmem;

import static dev.zonedev.api.testing.Gens.ints;
import static dev.zonedev.api.testing.Gens.just;
import static dev.zonedev.api.testing.Gens.lists;
import static dev.zonedev.api.testing.Gens.longs;
import static dev.zonedev.api.testing.Gens.of;
import static dev.zonedev.api.testing.Gens.oneOf;
import static dev.zonedev.api.testing.Gens.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.Props;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of the {@code badblocks=} list ({@link Badblocks#parse}, {@link BadSectorRange#parse})
 * and of the runs it keeps: the rendered list parses back to the same runs, add and clear agree
 * with a plain set of sectors, garbage is INVALID with a message.
 */
class BadblocksProperties {
    private static final int SECTORS = 600;

    /** One add or clear of a run. */
    record Op(boolean add, long sector, long count) {}

    private static Gen<Op> ops() {
        return ints(0, SECTORS - 1)
                .flatMap(
                        s ->
                                of(true, true, false)
                                        .zip(ints(1, SECTORS - s), (add, n) -> new Op(add, s, n)));
    }

    /**
     * Add and clear agree with a set of sectors; the runs stay sorted, disjoint, merged and inside.
     */
    @Test
    void addAndClearAgreeWithASetOfSectors() {
        Props.check(
                1000,
                lists(ops(), 0, 25),
                ints(0, SECTORS),
                ints(0, 64),
                BadblocksProperties::addAndClearAgreeWithASetOfSectors);
    }

    private static void addAndClearAgreeWithASetOfSectors(
            List<Op> ops, int probeStart, int probeLen) {
        Badblocks bb = new Badblocks(SECTORS);
        BitSet model = new BitSet(SECTORS);
        for (Op op : ops) {
            BadSectorRange r = new BadSectorRange(op.sector(), op.count());
            if (op.add()) {
                bb.add(r);
                model.set((int) op.sector(), (int) (op.sector() + op.count()));
            } else {
                bb.clear(r);
                model.clear((int) op.sector(), (int) (op.sector() + op.count()));
            }
        }
        assertEquals(runs(model), bb.list(), ops::toString);
        int end = Math.min(SECTORS, probeStart + probeLen);
        int first = model.nextSetBit(probeStart);
        assertEquals(first >= 0 && first < end ? first : -1, bb.firstBad(probeStart, end));
        assertEquals(model.isEmpty(), bb.isEmpty());
    }

    /** The list as it is shown parses back to the same runs. */
    @Test
    void theRenderedListParsesBackToTheSameRuns() {
        Props.check(
                1000,
                lists(ops(), 0, 20),
                BadblocksProperties::theRenderedListParsesBackToTheSameRuns);
    }

    private static void theRenderedListParsesBackToTheSameRuns(List<Op> adds) {
        Badblocks bb = new Badblocks(SECTORS);
        adds.forEach(op -> bb.add(new BadSectorRange(op.sector(), op.count())));
        String text =
                bb.list().stream().map(BadSectorRange::toString).collect(Collectors.joining(","));
        assertEquals(bb.list(), Badblocks.parse(text, SECTORS).list(), text);
    }

    @Test
    void garbageIsRefusedWithAMessageAndOnlyTheDocumentedFormIsRead() {
        Props.check(
                2000,
                listTexts(),
                ints(0, 2000),
                BadblocksProperties::garbageIsRefusedWithAMessageAndOnlyTheDocumentedFormIsRead);
    }

    private static void garbageIsRefusedWithAMessageAndOnlyTheDocumentedFormIsRead(
            String text, int nrSectors) {
        Badblocks bb;
        try {
            bb = Badblocks.parse(text, nrSectors);
        } catch (ZoneDeviceException e) {
            assertTrue(
                    e.code() == ErrorCode.INVALID || e.code() == ErrorCode.OUT_OF_RANGE,
                    e::toString);
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
            return;
        }
        assertTrue(
                text == null
                        || text.isBlank()
                        || text.matches(" *[0-9]+( *\\+ *[0-9]+)? *(, *[0-9]+( *\\+ *[0-9]+)? *)*"),
                "accepted an undocumented form: " + text);
        bb.list().forEach(r -> assertTrue(r.end() <= nrSectors, r::toString));
    }

    /**
     * Found by the model property: the empty range [0, 0) reported sector 0 bad when a run started
     * there.
     */
    @Test
    void anEmptyRangeHasNoBadSector() {
        Badblocks bb = Badblocks.parse("0+1,10+5", 100);
        assertEquals(-1, bb.firstBad(0, 0));
        assertEquals(-1, bb.firstBad(12, 12));
        assertEquals(-1, bb.firstBad(12, 3));
        assertEquals(12, bb.firstBad(12, 13));
    }

    @Test
    void aTrailingCommaOrADoublePlusOrAnotherScriptsDigitIsRefused() {
        for (String text : List.of("16+8,", "0++1", "\u0663+1", "1+\uff18", "16+8,,32")) {
            ZoneDeviceException e =
                    assertThrows(ZoneDeviceException.class, () -> Badblocks.parse(text, 100), text);
            assertEquals(ErrorCode.INVALID, e.code());
        }
        assertEquals(
                List.of(new BadSectorRange(16, 8), new BadSectorRange(30, 1)),
                Badblocks.parse(" 16 + 8 , 30 ", 100).list());
    }

    /**
     * Found by the properties (seed 6873270093037): strip() read a tab after a sector as a space.
     */
    @Test
    void onlySpacesAroundAnEntry() {
        assertThrows(ZoneDeviceException.class, () -> Badblocks.parse("0\t", 1));
    }

    @Test
    void aRunPastTheEndOfAnEmptyDeviceNamesTheRangeHonestly() {
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> Badblocks.parse("0", 0));
        assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
        assertTrue(e.getMessage().contains("accepted"), e.getMessage());
    }

    private static Gen<String> listTexts() {
        Gen<String> number =
                oneOf(
                        longs(0, 3000).map(n -> String.valueOf(n)),
                        of(
                                "-1",
                                "0",
                                "9223372036854775807",
                                "9223372036854775808",
                                "",
                                " ",
                                "+3",
                                "1e2",
                                "x",
                                "\u0663",
                                "\uff18"));
        Gen<String> entry =
                number.zip(
                        of("+", "+", " + ", "", "++", "-"),
                        number,
                        (s, plus, n) -> plus.isEmpty() ? s : s + plus + n);
        return oneOf(
                lists(entry, 0, 5).map(l -> String.join(",", new ArrayList<>(l))),
                lists(entry, 0, 5).map(l -> String.join(", ", l) + ","),
                strings(0, 20),
                just((String) null));
    }

    private static List<BadSectorRange> runs(BitSet model) {
        List<BadSectorRange> out = new ArrayList<>();
        for (int s = model.nextSetBit(0); s >= 0; s = model.nextSetBit(s)) {
            int e = model.nextClearBit(s);
            out.add(new BadSectorRange(s, e - s));
            s = e;
        }
        return out;
    }
}
