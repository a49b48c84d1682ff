package dev.zonedev.api;

import java.util.Optional;

/**
 * A device whose memory can be mapped directly: the {@code dax_operations} SPI. Thread-safe: any
 * number of threads may call {@link #directAccess} at once.
 *
 * <p>What a device offers beyond direct access ({@link #hasPfns()}, {@link #pageFaults()}, {@link
 * #badSectors()}) are {@code default} methods a driver overrides for what it implements; the {@code
 * zonedev} command and scenarios use nothing else.
 */
public interface DaxDevice {
    /** The device name, e.g. {@code pmem0}. */
    String name();

    /** Number of data pages the device exposes from page offset 0. */
    long nrPages();

    /**
     * Maps up to {@code nrPages} pages at page offset {@code pgoff} ({@code direct_access}). The
     * answer may hold fewer pages than asked: it stops at the end of the device and before a bad
     * block. Without {@code wantPfn} this never waits for memmap initialization. With it, the
     * returned pfn's struct pages are initialized (through {@code memmapSync}) for every page
     * returned, before this returns.
     *
     * @throws ZoneDeviceException {@link ErrorCode#OUT_OF_RANGE} for an offset outside the device,
     *     {@link ErrorCode#INVALID} for a non-positive length, {@link ErrorCode#IO_ERROR} when the
     *     first page is a bad block, {@link ErrorCode#NO_DEVICE} after the device was disabled
     */
    DirectAccess directAccess(long pgoff, long nrPages, boolean wantPfn);

    /**
     * True when {@link #directAccess} hands out pfns; false for a device without struct pages (a
     * raw namespace's block device), which refuses {@code wantPfn} with {@link ErrorCode#INVALID}.
     * Constant; the default is true.
     */
    default boolean hasPfns() {
        return true;
    }

    /**
     * The device's page faults of a fixed size, when it is mapped that way (device-dax). Constant;
     * the default is empty.
     */
    default Optional<PageFaults> pageFaults() {
        return Optional.empty();
    }

    /** The device's bad-sector list, when it keeps one (pmem). Constant; the default is empty. */
    default Optional<BadSectors> badSectors() {
        return Optional.empty();
    }
}
