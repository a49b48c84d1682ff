package dev.zonedev.driver.devdax;

import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A device-dax region ({@code struct dax_region}): the data pages of a devdax namespace, from the
 * info block's data offset on, with the alignment every device and fault in it must have, and the
 * pagemap that backs them ({@code dax_region->pgmap}, the seed's addition). Devices are carved from
 * it first fit, each a multiple of the alignment and placed on an alignment boundary.
 *
 * <p>Devices are named after the region: the first one created gets the region's base name ({@code
 * daxX.Y} for {@code namespaceX.Y}), later ones {@code daxX.Y.N} with increasing {@code N}.
 *
 * <p>Thread-safe: device creation, destruction and listing synchronize on the region; faults on its
 * devices do not.
 */
public final class DaxRegion {
    private final String baseName;
    private final MemorySegment data;
    private final long physStart;
    private final long align;
    private final DevPagemap pagemap;
    private final TreeMap<Long, DevDaxDevice> byOffset = new TreeMap<>();
    private int nextId;
    private boolean enabled = true;

    DaxRegion(String baseName, MemorySegment data, long physStart, long align, DevPagemap pagemap) {
        this.baseName = Objects.requireNonNull(baseName, "baseName");
        this.data = Objects.requireNonNull(data, "data");
        this.physStart = physStart;
        this.align = align;
        this.pagemap = Objects.requireNonNull(pagemap, "pagemap");
    }

    /** Kernel-address view of the region's data. */
    MemorySegment data() {
        return data;
    }

    /** The pagemap whose struct pages back the region. */
    DevPagemap pagemap() {
        return pagemap;
    }

    /** Physical address of the region's first byte. */
    public long physStart() {
        return physStart;
    }

    /** Region size in bytes. */
    public long size() {
        return data.byteSize();
    }

    /** Alignment of every device and fault in the region: 4 KiB, 2 MiB or 1 GiB. */
    public long align() {
        return align;
    }

    /** The live devices, by offset in the region. */
    public synchronized List<DevDaxDevice> devices() {
        return List.copyOf(byOffset.values());
    }

    /** The live device named {@code name}. */
    public synchronized DevDaxDevice device(String name) {
        return byOffset.values().stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                ZoneDeviceException.noDevice(
                                        "region "
                                                + baseName
                                                + " has no device "
                                                + name
                                                + "; it has: "
                                                + byOffset.values().stream()
                                                        .map(DevDaxDevice::name)
                                                        .toList()));
    }

    /** Bytes of the largest free gap: the largest device {@link #createDevice} can still carve. */
    public synchronized long largestFree() {
        long best = 0;
        long cursor = 0;
        for (Map.Entry<Long, DevDaxDevice> e : byOffset.entrySet()) {
            best = Math.max(best, e.getKey() - cursor);
            cursor = e.getKey() + e.getValue().size();
        }
        return Math.max(best, alignDown(size()) - cursor);
    }

    /**
     * Carves a device of {@code size} bytes from the first free gap large enough.
     *
     * @throws ZoneDeviceException {@code INVALID} for a size that is not a positive multiple of the
     *     alignment; {@code OUT_OF_RANGE} when no gap is large enough (the message gives the
     *     largest); {@code NO_DEVICE} after the region was disabled
     */
    public synchronized DevDaxDevice createDevice(long size) {
        if (!enabled) {
            throw ZoneDeviceException.noDevice("region " + baseName + " is disabled");
        }
        if (size <= 0 || size % align != 0) {
            throw ZoneDeviceException.invalid(
                    "device size "
                            + size
                            + " in region "
                            + baseName
                            + " is not valid; accepted: a positive multiple of the alignment "
                            + align);
        }
        long cursor = 0;
        for (Map.Entry<Long, DevDaxDevice> e : byOffset.entrySet()) {
            if (e.getKey() - cursor >= size) {
                break;
            }
            cursor = e.getKey() + e.getValue().size();
        }
        Long next = byOffset.ceilingKey(cursor);
        long gapEnd = next == null ? alignDown(size()) : next;
        if (gapEnd - cursor < size) {
            throw ZoneDeviceException.outOfRange(
                    "region "
                            + baseName
                            + " has no free gap of "
                            + size
                            + " bytes; accepted: up to "
                            + largestFree()
                            + " bytes (destroy a device to make room)");
        }
        int id = nextId++;
        DevDaxDevice device =
                new DevDaxDevice(id == 0 ? baseName : baseName + "." + id, this, cursor, size);
        byOffset.put(cursor, device);
        return device;
    }

    /**
     * Disables the device named {@code name} and returns its space to the region.
     *
     * @throws ZoneDeviceException {@code NO_DEVICE} when there is no such device
     */
    public synchronized void destroyDevice(String name) {
        DevDaxDevice device = device(name);
        device.disable();
        byOffset.remove(device.regionOffset());
    }

    /** Disables the region and every device in it; idempotent. */
    synchronized void disable() {
        enabled = false;
        byOffset.values().forEach(DevDaxDevice::disable);
    }

    /**
     * The region's usable size: whole alignment units (a 1 GiB region may end in a partial one).
     */
    private long alignDown(long bytes) {
        return bytes / align * align;
    }

    /** Pages in the region. */
    public long nrPages() {
        return size() / Pages.PAGE_SIZE;
    }
}
