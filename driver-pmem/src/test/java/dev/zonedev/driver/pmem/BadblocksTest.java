package dev.zonedev.driver.pmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BadblocksTest {
    @Test
    void addMergesTouchingRunsAndClearSplitsThem() {
        Badblocks bb = new Badblocks(1000);
        bb.add(new BadSectorRange(10, 5));
        bb.add(new BadSectorRange(15, 5));
        bb.add(new BadSectorRange(100, 1));
        assertEquals(List.of(new BadSectorRange(10, 10), new BadSectorRange(100, 1)), bb.list());
        bb.add(new BadSectorRange(5, 100));
        assertEquals(List.of(new BadSectorRange(5, 100)), bb.list());
        bb.clear(new BadSectorRange(50, 10));
        assertEquals(List.of(new BadSectorRange(5, 45), new BadSectorRange(60, 45)), bb.list());
        bb.clear(new BadSectorRange(0, 1000));
        assertEquals(List.of(), bb.list());
    }

    @Test
    void firstBadFindsRunsCoveringOrFollowingTheStart() {
        Badblocks bb = Badblocks.parse("16+8, 100", 1000);
        assertEquals(-1, bb.firstBad(0, 16));
        assertEquals(16, bb.firstBad(0, 17));
        assertEquals(20, bb.firstBad(20, 30));
        assertEquals(100, bb.firstBad(24, 200));
        assertEquals(-1, bb.firstBad(24, 100));
    }

    @Test
    void malformedOrOutsideRangesAreRefused() {
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> Badblocks.parse("x+1", 10)).code());
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> Badblocks.parse("3+0", 10)).code());
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> Badblocks.parse("8+4", 10));
        assertEquals(ErrorCode.OUT_OF_RANGE, e.code());
        assertEquals(true, e.getMessage().contains("sectors 0..9"), e.getMessage());
    }
}
