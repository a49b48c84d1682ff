package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.Pages;
import dev.zonedev.core.EngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs of {@code zonedev compare} give their memory back: rounds do not pile up memmaps. */
class CompareRunMemoryTest {
    @TempDir Path dir;

    @Test
    void repeatedRunsDoNotAccumulateTheirMemmaps() throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        EngineConfig base = Setup.config("x86_64", 2, 4, loader);
        CompareCase c =
                CompareCases.of(
                                List.of(new Combination(Map.of("map", "mem"))),
                                base,
                                List.of("a:size=8G"),
                                dir,
                                loader)
                        .getFirst();
        long memmap = Pages.memmapBytes((8L << 30) / Pages.PAGE_SIZE); // 128 MiB in RAM per run
        CompareRun.run(c, null);
        long after1 = rssAnon();
        for (int i = 0; i < 4; i++) {
            CompareRun.Result r = CompareRun.run(c, null);
            assertTrue(r.figures().ok(), r.toString());
            assertTrue(r.figures().memmapBytesInRam() >= memmap - (1 << 20), r.toString());
        }
        long grown = rssAnon() - after1;
        // four more runs that kept their memmaps would have grown by 512 MiB
        assertTrue(grown < memmap, "anonymous RSS grew by " + grown + " bytes over 4 runs");
    }

    private static long rssAnon() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("no RssAnon in /proc/self/status");
    }
}
