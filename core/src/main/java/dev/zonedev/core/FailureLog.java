package dev.zonedev.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures of background work (a worker or a population task that threw), kept as a record the
 * platform, reports and scenarios can query, and logged through SLF4J as they happen (warning
 * level, with the exception). Thread-safe.
 */
public final class FailureLog {
    private final List<String> failures = new CopyOnWriteArrayList<>();

    void record(String where, Throwable failure) {
        String line = where + ": " + failure;
        failures.add(line);
        Log.LOG.warn("background work failed: {}", line, failure);
    }

    /** Every failure so far, oldest first, as "where: exception". */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Holds the logger, so that SLF4J starts only when there is something to log. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(FailureLog.class);
    }
}
