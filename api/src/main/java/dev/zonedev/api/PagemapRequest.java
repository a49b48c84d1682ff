package dev.zonedev.api;

import java.util.Optional;

/**
 * What a driver asks {@link DriverContext#memremapPages} for. Immutable.
 *
 * @param range device range, start and size multiples of {@link Pages#SUBSECTION_SIZE}
 * @param nid NUMA node, 0 to 1023 ({@link PageFlags#checkNode})
 * @param altmap the device's own area for its memmap ({@code map=dev}), or empty for RAM
 * @param async ask for background initialization; the engine falls back to synchronous work when
 *     the arch answers would-block
 */
public record PagemapRequest(
        PhysicalRange range, int nid, Optional<VmemAltmap> altmap, boolean async) {
    public PagemapRequest {
        ZoneDeviceException.requirePresent(range, "range");
        ZoneDeviceException.requirePresent(altmap, "altmap");
        PageFlags.checkNode("", nid);
    }
}
