package dev.zonedev.core;

import dev.zonedev.api.ZonedevApi;
import dev.zonedev.api.ZonedevPlugin;
import java.util.Optional;

/**
 * The one check every discovered plugin passes before the engine uses it: the API version compiled
 * into the plugin is not newer than this engine's. Older versions are accepted, because SPIs only
 * ever gain {@code default} methods between handshake versions. Stateless.
 */
public final class PluginHandshake {
    private PluginHandshake() {}

    /**
     * Why {@code plugin} is refused, or empty when the engine can use it. Never throws for a
     * misbehaving plugin: whatever its {@code name()} or {@code apiVersion()} throws becomes the
     * reason.
     */
    public static Optional<String> refusal(String kind, ZonedevPlugin plugin) {
        String who = kind + " " + describe(plugin);
        int version;
        try {
            version = plugin.apiVersion();
        } catch (AbstractMethodError e) {
            return Optional.of(
                    who
                            + " declares no zonedev API version (built before API 2); rebuild it against"
                            + " zonedev-api "
                            + ZonedevApi.VERSION
                            + " with apiVersion() returning ZonedevApi.VERSION");
        } catch (RuntimeException e) {
            return Optional.of(who + " failed to report its API version: " + e);
        }
        if (version > ZonedevApi.VERSION || version < 1) {
            return Optional.of(
                    who
                            + " was built for zonedev API "
                            + version
                            + "; this engine has API "
                            + ZonedevApi.VERSION
                            + " (accepted: 1 to "
                            + ZonedevApi.VERSION
                            + ")");
        }
        return Optional.empty();
    }

    /** {@code "name" (class)}, or just the class when the name cannot be had. */
    private static String describe(ZonedevPlugin plugin) {
        String type = plugin.getClass().getName();
        try {
            return "\"" + plugin.name() + "\" (" + type + ")";
        } catch (RuntimeException | AbstractMethodError e) {
            return type;
        }
    }
}
