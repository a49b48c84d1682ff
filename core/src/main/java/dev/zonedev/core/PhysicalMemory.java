package dev.zonedev.core;

import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The platform's physical address map ({@code iomem}): which {@link DeviceMemory} backs which
 * physical range. Altmap blocks are found here, as the kernel finds them through its direct map.
 * Thread-safe.
 */
public final class PhysicalMemory {
    private final ConcurrentSkipListMap<Long, DeviceMemory> byStart = new ConcurrentSkipListMap<>();
    private final long maxPhysicalBytes;

    PhysicalMemory(long maxPhysicalBytes) {
        this.maxPhysicalBytes = maxPhysicalBytes;
    }

    /**
     * Registers device memory at its range.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#EXISTS} when the range overlaps
     *     a registered one, {@link dev.zonedev.api.ErrorCode#OUT_OF_RANGE} when it ends beyond the
     *     platform's physical address space
     */
    public synchronized void register(DeviceMemory memory) {
        PhysicalRange range = memory.range();
        if (range.end() > maxPhysicalBytes) {
            throw ZoneDeviceException.outOfRange(
                    "device "
                            + memory.name()
                            + " at "
                            + range
                            + " ends beyond the physical address space [0, "
                            + maxPhysicalBytes
                            + ")");
        }
        Map.Entry<Long, DeviceMemory> below = byStart.floorEntry(range.end() - 1);
        if (below != null && below.getValue().range().overlaps(range)) {
            throw ZoneDeviceException.exists(
                    "device "
                            + memory.name()
                            + " at "
                            + range
                            + " overlaps "
                            + below.getValue().name()
                            + " at "
                            + below.getValue().range());
        }
        byStart.put(range.start(), memory);
    }

    /** Forgets the device memory registered at {@code range}, if any. */
    public synchronized void unregister(PhysicalRange range) {
        byStart.remove(range.start());
    }

    /** The device memory holding {@code pfn}, or null. */
    DeviceMemory lookup(long pfn) {
        Map.Entry<Long, DeviceMemory> e = byStart.floorEntry(Pages.physAddr(pfn));
        return e != null && e.getValue().range().containsPfn(pfn) ? e.getValue() : null;
    }

    /** One past the highest physical address the platform supports. */
    public long maxPhysicalBytes() {
        return maxPhysicalBytes;
    }
}
