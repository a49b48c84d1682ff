package dev.zonedev.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The size of a page fault on a device mapped in fixed-size faults ({@link PageFaults}): which of
 * the kernel's three device-dax fault handlers runs. Immutable.
 */
public enum FaultSize {
    /** A 4 KiB fault ({@code __dev_dax_pte_fault}). */
    PTE(Pages.PAGE_SIZE, "4K"),
    /** A 2 MiB fault ({@code __dev_dax_pmd_fault}). */
    PMD(Pages.PMD_SIZE, "2M"),
    /** A 1 GiB fault ({@code __dev_dax_pud_fault}). */
    PUD(Pages.PUD_SIZE, "1G");

    private final long bytes;
    private final String text;

    FaultSize(long bytes, String text) {
        this.bytes = bytes;
        this.text = text;
    }

    /** Bytes one fault of this size maps. */
    public long bytes() {
        return bytes;
    }

    /** Base pages one fault of this size maps. */
    public long pages() {
        return bytes / Pages.PAGE_SIZE;
    }

    /** {@code 4K}, {@code 2M} or {@code 1G}. */
    public String text() {
        return text;
    }

    /**
     * The fault size equal to {@code bytes}.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} naming the accepted
     *     sizes
     */
    public static FaultSize ofBytes(long bytes) {
        for (FaultSize s : values()) {
            if (s.bytes == bytes) {
                return s;
            }
        }
        throw ZoneDeviceException.invalid(
                "no fault size of "
                        + bytes
                        + " bytes; accepted: "
                        + Arrays.stream(values())
                                .map(s -> s.name().toLowerCase(Locale.ROOT) + " " + s.bytes)
                                .collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return name() + "(" + text + ")";
    }
}
