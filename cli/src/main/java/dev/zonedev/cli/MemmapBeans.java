package dev.zonedev.cli;

import dev.zonedev.api.MemmapControl;
import dev.zonedev.core.MemmapStateMBeans;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.Platform;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps one {@code memmap_state} MBean ({@code dev.zonedev:type=MemmapState,name=DEVICE})
 * registered per enabled pfn device of a platform. Call {@link #refresh} after each change of the
 * namespace set. Not thread-safe: one runner owns it.
 */
final class MemmapBeans implements AutoCloseable {
    private record Entry(MemmapControl control, MemmapStateMBeans.Registration registration) {}

    private final Map<String, Entry> beans = new LinkedHashMap<>();

    /** Registers beans for new pfn devices and drops those of disabled or destroyed ones. */
    void refresh(Platform platform) {
        Map<String, MemmapControl> now = new LinkedHashMap<>();
        if (platform != null) {
            for (Namespace ns : platform.namespaces()) {
                ns.memmapControl().ifPresent(c -> now.put(Targets.deviceName(ns), c));
            }
        }
        beans.entrySet()
                .removeIf(
                        e -> {
                            if (now.get(e.getKey()) != e.getValue().control()) {
                                e.getValue().registration().close();
                                return true;
                            }
                            return false;
                        });
        now.forEach(
                (device, control) ->
                        beans.computeIfAbsent(
                                device,
                                d -> new Entry(control, MemmapStateMBeans.register(d, control))));
    }

    /** The device names registered. */
    java.util.Set<String> devices() {
        return java.util.Set.copyOf(beans.keySet());
    }

    @Override
    public void close() {
        beans.values().forEach(e -> e.registration().close());
        beans.clear();
    }
}
