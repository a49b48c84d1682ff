package dev.zonedev.strategy;

import com.google.auto.service.AutoService;
import dev.zonedev.api.MemmapAvailability;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.MemmapWork;
import dev.zonedev.api.MemmapWorker;
import dev.zonedev.api.ZonedevApi;

/**
 * The seed's strategy and the default ({@code memmap-async-zone-device}, 2018): one worker per
 * requested thread, each walking its own contiguous slice of the units ({@code NR_MEMMAP_THREADS} ×
 * {@code NR_MEMMAP_RANGE}), and {@code memmapSync} initializing in the foreground whatever of its
 * request nobody claimed yet. The namespace is available when the add returns. Stateless.
 */
@AutoService(MemmapStrategy.class)
public final class SeedStrategy implements MemmapStrategy {
    @Override
    public String name() {
        return "seed";
    }

    @Override
    public int apiVersion() {
        return ZonedevApi.VERSION;
    }

    @Override
    public String description() {
        return "N workers over static slices, memmapSync in the foreground (the seed, 2018)";
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
            int from = sliceStart(work.units(), active, w);
            int to = sliceStart(work.units(), active, w + 1);
            if (!work.startWorker(worker -> walk(worker, from, to))) {
                return;
            }
        }
    }

    /** First unit of slice {@code w} of {@code active} equal slices of {@code units}. */
    static int sliceStart(int units, int active, int w) {
        return (int) ((long) units * w / active);
    }

    private static void walk(MemmapWorker worker, int from, int to) {
        for (int i = from; i < to && !worker.stopping(); i++) {
            worker.claimAndInitialize(i);
        }
    }
}
