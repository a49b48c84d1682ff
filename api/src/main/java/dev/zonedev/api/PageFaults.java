package dev.zonedev.api;

/**
 * A device that is mapped in page faults of one fixed size (device-dax: pte, pmd or pud faults), a
 * capability a {@link DaxDevice} offers through {@link DaxDevice#pageFaults()}. Every fault hands
 * out a pfn, so before it returns the struct pages of the whole fault are initialized ({@link
 * DevPagemap#memmapSync}).
 *
 * <p>Thread-safe: any number of threads may fault at once, also while {@link
 * DaxDevice#directAccess} runs; faulting an offset again gives the same answer.
 */
public interface PageFaults {
    /**
     * The size every fault must have, in bytes: the device alignment, one of {@link FaultSize}'s.
     * Constant for the life of the device.
     */
    long alignment();

    /**
     * Handles a fault of {@code size} at device byte {@code offset} and returns the mapping: its
     * first pfn ({@code DEV|MAP}) and its size in pages, all of whose struct pages are initialized.
     *
     * @throws ZoneDeviceException (each a {@code SIGBUS} in the kernel) {@link ErrorCode#INVALID}
     *     for a negative offset, one that is not a multiple of {@code size}, or a size other than
     *     {@link #alignment()}; {@link ErrorCode#OUT_OF_RANGE} for a fault that runs past the end
     *     of the device; {@link ErrorCode#NO_DEVICE} after the device was disabled; whatever {@link
     *     DevPagemap#memmapSync} throws. Nothing is mapped when it throws.
     */
    DaxMapping fault(long offset, FaultSize size);
}
