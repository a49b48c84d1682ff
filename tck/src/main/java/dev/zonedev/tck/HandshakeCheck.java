package dev.zonedev.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ZonedevApi;
import dev.zonedev.api.ZonedevPlugin;
import dev.zonedev.core.PluginHandshake;
import java.util.Optional;

/** The API handshake check every kit runs: the same rule for arches, drivers and strategies. */
final class HandshakeCheck {
    private HandshakeCheck() {}

    /**
     * Asserts that {@code plugin} states an API version this engine accepts and that discovery
     * would take it.
     *
     * @param kind "arch", "driver" or "strategy", as discovery names it in a refusal
     */
    static void assertAccepted(String kind, ZonedevPlugin plugin) {
        int version = plugin.apiVersion();
        assertTrue(
                version >= 1 && version <= ZonedevApi.VERSION,
                "apiVersion() = "
                        + version
                        + "; accepted: 1 to "
                        + ZonedevApi.VERSION
                        + " (return ZonedevApi.VERSION)");
        assertEquals(Optional.empty(), PluginHandshake.refusal(kind, plugin));
    }
}
