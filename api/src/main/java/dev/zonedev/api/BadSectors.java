package dev.zonedev.api;

import java.util.List;

/**
 * The known-bad 512-byte sectors of a device ({@code struct badblocks}, the {@code badblocks}
 * attribute of {@code /sys/block/pmemX}), counted from the device's first data byte: a capability a
 * {@link DaxDevice} offers through {@link DaxDevice#badSectors()}. A {@link DaxDevice#directAccess}
 * whose first page holds a bad sector fails with {@link ErrorCode#IO_ERROR}; one that runs into a
 * bad sector is shortened to the good pages before it.
 *
 * <p>Thread-safe: changes may come from any thread at any time, also while accesses run; an access
 * that starts after a change returned sees it.
 */
public interface BadSectors {
    /**
     * Marks {@code range} bad (the kernel's media-error notification), merging it with the runs it
     * touches.
     *
     * @throws ZoneDeviceException {@link ErrorCode#OUT_OF_RANGE} when the range runs past the
     *     device, with nothing changed
     */
    void add(BadSectorRange range);

    /**
     * Marks {@code range} good again (after the sectors were repaired), splitting runs.
     *
     * @throws ZoneDeviceException {@link ErrorCode#OUT_OF_RANGE} when the range runs past the
     *     device, with nothing changed
     */
    void clear(BadSectorRange range);

    /** The bad runs, merged, disjoint and in sector order; an immutable snapshot. */
    List<BadSectorRange> list();
}
