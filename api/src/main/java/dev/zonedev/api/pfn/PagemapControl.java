package dev.zonedev.api.pfn;

import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.ZoneDeviceException;
import java.util.function.BooleanSupplier;

/**
 * The {@code memmap_state} attribute of a pfn device (pmem or device-dax): reads and {@code sync}
 * writes go to the namespace's {@link DevPagemap}; once the namespace is unbound both fail with
 * {@code NO_DEVICE}. {@link MemmapControl#write} accepts only {@code sync}. Thread-safe.
 */
public final class PagemapControl implements MemmapControl {
    private final String name;
    private final DevPagemap pagemap;
    private final BooleanSupplier enabled;

    public PagemapControl(String name, DevPagemap pagemap, BooleanSupplier enabled) {
        this.name = ZoneDeviceException.requirePresent(name, "name");
        this.pagemap = ZoneDeviceException.requirePresent(pagemap, "pagemap");
        this.enabled = ZoneDeviceException.requirePresent(enabled, "enabled");
    }

    @Override
    public MemmapState memmapState() {
        checkEnabled();
        return pagemap.memmapState();
    }

    @Override
    public void sync() {
        checkEnabled();
        pagemap.sync();
    }

    private void checkEnabled() {
        if (!enabled.getAsBoolean()) {
            throw ZoneDeviceException.noDevice(name + " is unbound; memmap_state is gone");
        }
    }
}
