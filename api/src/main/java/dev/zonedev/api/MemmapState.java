package dev.zonedev.api;

import java.util.Locale;

/** The {@code memmap_state} attribute of a pfn device. */
public enum MemmapState {
    /** Some struct pages of the device are not initialized yet. */
    ACTIVE,
    /** Every struct page of the device is initialized. */
    IDLE;

    /** The attribute text: {@code active} or {@code idle}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
