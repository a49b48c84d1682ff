package dev.zonedev.strategy;

import com.google.auto.service.AutoService;
import dev.zonedev.api.MemmapAvailability;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.MemmapWork;
import dev.zonedev.api.ZonedevApi;

/**
 * Linux's multithreaded deferred init (v5.9, padata): the pagemap cut into {@link PadataChunks},
 * claimed dynamically from a shared cursor so that fast threads take more, the calling thread
 * helping. No foreground sync: a pfn request waits until all chunks are done, which is when the
 * namespace is available. Stateless.
 */
@AutoService(MemmapStrategy.class)
public final class PadataStrategy implements MemmapStrategy {
    @Override
    public String name() {
        return "padata";
    }

    @Override
    public int apiVersion() {
        return ZonedevApi.VERSION;
    }

    @Override
    public String description() {
        return "dynamic chunks from a shared cursor, caller helps, no foreground sync"
                + " (padata deferred init, Linux 5.9)";
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
        new PadataChunks(work).start();
    }
}
