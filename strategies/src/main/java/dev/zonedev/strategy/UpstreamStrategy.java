package dev.zonedev.strategy;

import com.google.auto.service.AutoService;
import dev.zonedev.api.MemmapAvailability;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.MemmapWork;
import dev.zonedev.api.MemmapWorker;
import dev.zonedev.api.ZonedevApi;

/**
 * What Linux merged instead of the seed (v4.20–v5.1, {@code memmap_init_zone_device}): one pass
 * over the pagemap's pages by one thread, run asynchronously apart from the add, whatever the
 * requested worker count. There is no foreground sync: a pfn request before the pass ends waits for
 * the whole pass, and the namespace is available once its memmap is initialized. Stateless.
 */
@AutoService(MemmapStrategy.class)
public final class UpstreamStrategy implements MemmapStrategy {
    @Override
    public String name() {
        return "upstream";
    }

    @Override
    public int apiVersion() {
        return ZonedevApi.VERSION;
    }

    @Override
    public String description() {
        return "one pass by one thread, no foreground sync (memmap_init_zone_device, Linux 4.20-5.1)";
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
        int units = work.units();
        work.startWorker(worker -> pass(worker, units));
    }

    private static void pass(MemmapWorker worker, int units) {
        for (int i = 0; i < units && !worker.stopping(); i++) {
            worker.claimAndInitialize(i);
        }
    }
}
