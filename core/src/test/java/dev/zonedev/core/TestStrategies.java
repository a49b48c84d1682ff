package dev.zonedev.core;

import dev.zonedev.api.MemmapAvailability;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.MemmapWork;
import dev.zonedev.api.ZonedevApi;

/**
 * Strategies for core's own tests, which may not use the shipped plugins: registered through this
 * module's test {@code META-INF/services}, so the engine finds them as it finds any plugin.
 */
public final class TestStrategies {
    private TestStrategies() {}

    /**
     * Named {@code seed}, the default, so that every core test runs the seed's distribution: one
     * worker per requested thread over static slices, with foreground sync.
     */
    public static final class Slices implements MemmapStrategy {
        @Override
        public String name() {
            return "seed";
        }

        @Override
        public int apiVersion() {
            return ZonedevApi.VERSION;
        }

        @Override
        public boolean foregroundSync() {
            return true;
        }

        @Override
        public MemmapAvailability availability() {
            return MemmapAvailability.ADD_RETURNS;
        }

        @Override
        public void start(MemmapWork work) {
            int active = Math.min(work.workersRequested(), work.units());
            for (int w = 0; w < active; w++) {
                int from = (int) ((long) work.units() * w / active);
                int to = (int) ((long) work.units() * (w + 1) / active);
                work.startWorker(
                        worker -> {
                            for (int i = from; i < to && !worker.stopping(); i++) {
                                worker.claimAndInitialize(i);
                            }
                        });
            }
        }
    }

    /** {@code test-pass}: one worker, one pass, no foreground sync. */
    public static final class Pass implements MemmapStrategy {
        @Override
        public String name() {
            return "test-pass";
        }

        @Override
        public int apiVersion() {
            return ZonedevApi.VERSION;
        }

        @Override
        public boolean foregroundSync() {
            return false;
        }

        @Override
        public MemmapAvailability availability() {
            return MemmapAvailability.INITIALIZED;
        }

        @Override
        public void start(MemmapWork work) {
            work.startWorker(
                    worker -> {
                        for (int i = 0; i < work.units() && !worker.stopping(); i++) {
                            worker.claimAndInitialize(i);
                        }
                    });
        }
    }

    /** {@code test-none}: starts no worker at all; the foreground must do everything. */
    public static final class None implements MemmapStrategy {
        @Override
        public String name() {
            return "test-none";
        }

        @Override
        public int apiVersion() {
            return ZonedevApi.VERSION;
        }

        @Override
        public boolean foregroundSync() {
            return false;
        }

        @Override
        public MemmapAvailability availability() {
            return MemmapAvailability.INITIALIZED;
        }

        @Override
        public void start(MemmapWork work) {}
    }

    /**
     * {@code test-scripted}: runs whatever {@link #script} a test set, with foreground sync as
     * {@link #foreground} says; for tests of what the engine does with a strategy that misbehaves.
     */
    public static final class Scripted implements MemmapStrategy {
        static volatile java.util.function.Consumer<MemmapWork> script = work -> {};
        static volatile boolean foreground = true;

        @Override
        public String name() {
            return "test-scripted";
        }

        @Override
        public int apiVersion() {
            return ZonedevApi.VERSION;
        }

        @Override
        public boolean foregroundSync() {
            return foreground;
        }

        @Override
        public MemmapAvailability availability() {
            return MemmapAvailability.ADD_RETURNS;
        }

        @Override
        public void start(MemmapWork work) {
            script.accept(work);
        }
    }
}
