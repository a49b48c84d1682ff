package dev.zonedev.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The altmap carving rule: alignment of a block, blocks of a range, pages needed. */
class AltmapBlocksTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    @Test
    void aBlockStartsAtTheNextMultipleOfTheLargestPowerOfTwoDividingItsSize() {
        assertEquals(512, AltmapBlocks.blockStart(2, 512));
        assertEquals(512, AltmapBlocks.blockStart(512, 512));
        assertEquals(1024, AltmapBlocks.blockStart(513, 512));
        assertEquals(7, AltmapBlocks.blockStart(7, 1));
        assertEquals(8, AltmapBlocks.blockStart(7, 12), "12 = 4 x 3: aligned to 4");
        assertEquals(
                ErrorCode.INVALID,
                assertThrows(ZoneDeviceException.class, () -> AltmapBlocks.blockStart(0, 0))
                        .code());
    }

    @Test
    void aOneGibRangeWithATwoPageReserveNeedsEightHugeBlocksPlusTheAlignmentOfTheFirst() {
        PhysicalRange range = new PhysicalRange(4 * GIB, GIB);
        assertEquals(8, AltmapBlocks.blocksFor(range, VmemmapBlockSize.HUGE_2M));
        assertEquals(510 + 8 * 512, AltmapBlocks.pagesNeeded(range, 2, VmemmapBlockSize.HUGE_2M));
        assertEquals(4096, AltmapBlocks.pagesNeeded(range, 2, VmemmapBlockSize.BASE_4K));
        assertEquals(510 + 8 * 512, AltmapBlocks.pagesNeededOnAnyArch(range, 2));
    }

    @Test
    void aRangeThatDoesNotStartOnAMemmapBlockBoundaryTakesTheBlockItStartsIn() {
        PhysicalRange range = new PhysicalRange(4 * GIB + 2 * MIB, 128 * MIB);
        assertEquals(2, AltmapBlocks.blocksFor(range, VmemmapBlockSize.HUGE_2M));
    }

    @Test
    void checkFitsNamesTheNeedAndTheAcceptedRange() {
        PhysicalRange range = new PhysicalRange(4 * GIB, GIB);
        AltmapBlocks.checkFits(
                range, VmemAltmap.of(range.startPfn(), 2, 4606), VmemmapBlockSize.HUGE_2M);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class,
                        () ->
                                AltmapBlocks.checkFits(
                                        range,
                                        VmemAltmap.of(range.startPfn(), 2, 4096),
                                        VmemmapBlockSize.HUGE_2M));
        assertEquals(ErrorCode.INVALID, e.code());
        assertEquals(
                true,
                e.getMessage().contains("accepted: free from 4606 to 262142 pages"),
                e.getMessage());
    }
}
