package dev.zonedev.api;

/** Version of this API; a plugin reports the version it was compiled against. */
public final class ZonedevApi {
    /**
     * Incremented when an SPI gains a method a plugin must implement. 2: every plugin implements
     * {@link ZonedevPlugin#apiVersion()} (the checked handshake). 3: the {@link MemmapStrategy}
     * SPI; a strategy needs an engine of API 3 or newer.
     */
    public static final int VERSION = 3;

    private ZonedevApi() {}
}
