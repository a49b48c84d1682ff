package dev.zonedev.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import jdk.jfr.Recording;

/**
 * {@code --jfr FILE}: records the engine's events (vmemmap population, sub-range initialization by
 * worker or in the foreground, memmapSync waits) for JDK Mission Control, and writes them to the
 * file when closed.
 */
final class JfrRecorder implements AutoCloseable {
    static final String[] EVENTS = {
        "dev.zonedev.VmemmapPopulate", "dev.zonedev.SubRangeInit", "dev.zonedev.MemmapSyncWait"
    };
    private final Recording recording = new Recording();
    private final Path file;

    JfrRecorder(Path file) {
        this.file = file;
        recording.setName("zonedev");
        for (String e : EVENTS) {
            recording.enable(e).withoutThreshold().withStackTrace();
        }
        recording.start();
    }

    @Override
    public void close() {
        recording.stop();
        try {
            recording.dump(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            recording.close();
        }
    }
}
