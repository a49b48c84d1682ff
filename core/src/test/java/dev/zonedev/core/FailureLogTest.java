package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A background failure stays queryable and reaches the application's SLF4J binding as a warning.
 */
class FailureLogTest {
    @Test
    void recordsAndLogsThroughSlf4j() {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FailureLog log = new FailureLog();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            log.record("memmap worker 3 of pgmap 7", new IllegalStateException("boom"));
        } finally {
            System.setErr(before);
        }
        assertEquals(
                List.of("memmap worker 3 of pgmap 7: java.lang.IllegalStateException: boom"),
                log.failures());
        String logged = err.toString(StandardCharsets.UTF_8);
        assertTrue(
                logged.contains("WARN")
                        && logged.contains("background work failed: memmap worker 3 of pgmap 7"),
                logged);
    }
}
