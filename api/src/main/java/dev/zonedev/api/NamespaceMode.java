package dev.zonedev.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a namespace is used, as ndctl names it. */
public enum NamespaceMode {
    /** A block device with no memmap and no pfns. */
    RAW,
    /** A pfn device for a dax filesystem: struct pages, pfns through {@code direct_access}. */
    FSDAX,
    /** A device-dax region: struct pages, pfns through faults. */
    DEVDAX;

    /** The lower-case name used on command lines and in info blocks. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code raw}, {@code fsdax} or {@code devdax} (any case).
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} naming the accepted values
     */
    public static NamespaceMode parse(String text) {
        for (NamespaceMode m : values()) {
            if (m.text().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return m;
            }
        }
        throw ZoneDeviceException.invalid(
                "mode \""
                        + text
                        + "\" is unknown; accepted: "
                        + Arrays.stream(values())
                                .map(NamespaceMode::text)
                                .collect(Collectors.joining(", ")));
    }
}
