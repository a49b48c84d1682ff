package dev.zonedev.api;

/** Version of this API; a plugin reports the version it was compiled against. */
public final class ZonedevApi {
    /** Incremented when an SPI gains a method a plugin must implement. */
    public static final int VERSION = 1;

    private ZonedevApi() {
    }
}
