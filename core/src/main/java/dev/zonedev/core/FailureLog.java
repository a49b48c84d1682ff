package dev.zonedev.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Failures of background work (a worker or a population task that threw), kept for the
 * platform to report and logged as they happen. Thread-safe.
 */
public final class FailureLog {
    private static final System.Logger LOG = System.getLogger(FailureLog.class.getName());
    private final List<String> failures = new CopyOnWriteArrayList<>();

    void record(String where, Throwable failure) {
        String line = where + ": " + failure;
        failures.add(line);
        LOG.log(System.Logger.Level.WARNING, "background work failed: " + line, failure);
    }

    /** Every failure so far, oldest first, as "where: exception". */
    public List<String> failures() {
        return List.copyOf(failures);
    }
}
