package dev.zonedev.strategy;

import com.google.auto.service.AutoService;
import dev.zonedev.api.MemmapAvailability;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.MemmapWork;
import dev.zonedev.api.ZonedevApi;

/**
 * The seed's foreground {@code memmapSync} over padata's dynamic chunking ({@link PadataChunks}):
 * the load balance of the one and the instant availability of the other. The namespace is available
 * when the add returns. Stateless.
 */
@AutoService(MemmapStrategy.class)
public final class SeedPadataStrategy implements MemmapStrategy {
    @Override
    public String name() {
        return "seed+padata";
    }

    @Override
    public int apiVersion() {
        return ZonedevApi.VERSION;
    }

    @Override
    public String description() {
        return "padata's dynamic chunks with the seed's foreground memmapSync";
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
        new PadataChunks(work).start();
    }
}
