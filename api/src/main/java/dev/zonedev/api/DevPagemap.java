package dev.zonedev.api;

/**
 * A registered range of device pages with its memmap ({@code struct dev_pagemap} after {@code
 * devm_memremap_pages}). Thread-safe. Closing it tears the range down: background initialization is
 * stopped or waited for, references drop to zero, the memmap is unmapped.
 */
public interface DevPagemap extends MemmapControl, AutoCloseable {
    /** The registered physical range. */
    PhysicalRange range();

    /** First pfn whose struct page is a device page (after any altmap offset). */
    long firstDevicePfn();

    /** True when the add ran asynchronously; false when the arch answered would-block. */
    boolean async();

    /**
     * Returns only when every struct page in {@code [pfn, pfn + nrPages)} is initialized ({@code
     * memmap_sync}). Initializes, in the caller's thread, the unclaimed sub-ranges covering the
     * request, and waits only for sub-ranges that other threads hold.
     *
     * @throws ZoneDeviceException {@link ErrorCode#OUT_OF_RANGE} when the pages are not all device
     *     pages of this pagemap, {@link ErrorCode#INVALID} for a non-positive count, {@link
     *     ErrorCode#NO_DEVICE} after teardown began, {@link ErrorCode#OUT_OF_MEMORY} when the
     *     memmap for those pages cannot be populated, {@link ErrorCode#IO_ERROR} when the thread
     *     initializing them failed, {@link ErrorCode#INTERRUPTED}
     */
    void memmapSync(long pfn, long nrPages);

    /** Tears the range down; idempotent. */
    @Override
    void close();
}
