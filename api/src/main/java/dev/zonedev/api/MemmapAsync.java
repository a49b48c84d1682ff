package dev.zonedev.api;

import java.time.Duration;

/**
 * The handle that asks for asynchronous memmap work ({@code struct memmap_async_state}). The engine
 * creates it; an arch only passes it on or refuses it. Thread-safe.
 */
public interface MemmapAsync {
    /**
     * Waits until the background vmemmap population scheduled for this add has finished.
     *
     * @return true when it finished within the timeout
     * @throws ZoneDeviceException {@link ErrorCode#INTERRUPTED} when interrupted
     */
    boolean awaitPopulated(Duration timeout);
}
