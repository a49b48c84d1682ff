package dev.zonedev.api;

import java.util.Locale;

/**
 * The {@code memmap_state} device attribute: reads {@code active} or {@code idle}, and a {@code
 * sync} write that returns once every page is initialized. Thread-safe.
 */
public interface MemmapControl {
    /** The current state. */
    MemmapState memmapState();

    /**
     * Initializes, in the caller's thread, every struct page nobody has claimed yet and waits for
     * the rest; on return {@link #memmapState()} reads {@link MemmapState#IDLE}.
     *
     * @throws ZoneDeviceException {@link ErrorCode#NO_DEVICE} after teardown, {@link
     *     ErrorCode#INTERRUPTED} when interrupted while waiting
     */
    void sync();

    /**
     * Writes the attribute as sysfs would: {@code sync} (surrounding white space ignored) calls
     * {@link #sync()}.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} for any other value
     */
    default void write(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (!v.equals("sync")) {
            throw ZoneDeviceException.invalid(
                    "memmap_state accepts only \"sync\", not \"" + value + "\"");
        }
        sync();
    }
}
