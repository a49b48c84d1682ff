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
}
