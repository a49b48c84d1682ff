package dev.zonedev.api;

/**
 * What every zonedev plugin (arch, driver) tells the engine about itself before anything else: its
 * name and the API version it was compiled against. The engine checks the version when it discovers
 * the plugin and refuses one built for a newer API than its own.
 */
public interface ZonedevPlugin {
    /** Short, unique, lower-case name, e.g. {@code x86_64} or {@code pmem}. */
    String name();

    /**
     * The API version this plugin was compiled against. Implement it as {@code return
     * ZonedevApi.VERSION;}: the compiler copies the constant into the plugin's own class file, so
     * the answer is the version of the {@code api} jar the plugin was built with, whatever engine
     * later loads it. Constant; cheap; any thread.
     */
    int apiVersion();
}
