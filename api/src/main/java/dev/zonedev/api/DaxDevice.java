package dev.zonedev.api;

/**
 * A device whose memory can be mapped directly: the {@code dax_operations} SPI. Thread-safe:
 * any number of threads may call {@link #directAccess} at once.
 */
public interface DaxDevice {
    /** The device name, e.g. {@code pmem0}. */
    String name();

    /** Number of data pages the device exposes from page offset 0. */
    long nrPages();

    /**
     * Maps up to {@code nrPages} pages at page offset {@code pgoff} ({@code direct_access}).
     * The answer may hold fewer pages than asked: it stops at the end of the device and before
     * a bad block. Without {@code wantPfn} this never waits for memmap initialization. With it,
     * the returned pfn's struct pages are initialized (through {@code memmapSync}) for every
     * page returned, before this returns.
     *
     * @throws ZoneDeviceException {@link ErrorCode#OUT_OF_RANGE} for an offset outside the
     *     device, {@link ErrorCode#INVALID} for a non-positive length,
     *     {@link ErrorCode#IO_ERROR} when the first page is a bad block,
     *     {@link ErrorCode#NO_DEVICE} after the device was disabled
     */
    DirectAccess directAccess(long pgoff, long nrPages, boolean wantPfn);
}
