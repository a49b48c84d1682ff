package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ZoneDeviceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemmapGeometryTest {
    @ParameterizedTest
    @CsvSource({
        "512,1,1",
        "512,8,128",
        "512,64,1024",
        "16777216,2,128",
        "16777216,8,128",
        "7,3,5",
        "1,64,1024",
        "33554433,1,1"
    })
    void subRangesTileThePagesAndNeverExceedASection(long pages, int workers, int perWorker) {
        MemmapGeometry g = MemmapGeometry.of(1000, 1000, 1000 + pages, workers, perWorker, 15);
        assertTrue(g.subRangePages() >= 1 && g.subRangePages() <= 1L << 15);
        assertTrue((long) g.nrSubRanges() * g.subRangePages() >= pages, "covers every page");
        assertTrue((long) (g.nrSubRanges() - 1) * g.subRangePages() < pages, "no empty sub-range");
        long wanted = Math.min(pages, (long) workers * perWorker);
        assertTrue(
                g.nrSubRanges() >= Math.min(wanted, pages / g.subRangePages()),
                "at least the requested count");
    }

    @ParameterizedTest
    @CsvSource({"0,1", "1,0", "-1,5"})
    void refusesNonPositiveCounts(int workers, int perWorker) {
        assertThrows(
                ZoneDeviceException.class,
                () -> MemmapGeometry.of(0, 0, 10, workers, perWorker, 15));
    }

    @ParameterizedTest
    @CsvSource({"16777216", "67108864"})
    void sectionCapKeepsOneSubRangeAtMostASection(long pages) {
        MemmapGeometry g = MemmapGeometry.of(0, 0, pages, 1, 1, 15);
        assertEquals(1L << 15, g.subRangePages());
        assertEquals(pages >> 15, g.nrSubRanges());
    }

    @ParameterizedTest
    @CsvSource({
        "1048576,1049090,2097152,2,128,9",
        "1048576,1048576,1572864,2,128,18",
        "1049088,1049600,3145728,2,4,18",
        "1048578,1048578,2097152,1,1,9"
    })
    void compoundSubRangesAreWholeAlignedCompoundPagesThatTileThePages(
            long init, long device, long end, int workers, int perWorker, int order) {
        MemmapGeometry g = MemmapGeometry.of(init, device, end, workers, perWorker, 15, order);
        long size = 1L << order;
        assertEquals(0, g.subRangePages() % size, "a whole number of compound pages");
        assertEquals(init, g.firstPfn(0));
        assertEquals(end, g.endPfn(g.nrSubRanges() - 1));
        for (int i = 0; i < g.nrSubRanges(); i++) {
            assertTrue(g.firstPfn(i) < g.endPfn(i), "no empty sub-range");
            if (i > 0) {
                assertEquals(g.endPfn(i - 1), g.firstPfn(i), "no gap, no overlap");
                assertEquals(0, g.firstPfn(i) % size, "boundaries on compound boundaries");
            }
            assertEquals(i, g.index(g.firstPfn(i)));
            assertEquals(i, g.index(g.endPfn(i) - 1));
        }
    }
}
