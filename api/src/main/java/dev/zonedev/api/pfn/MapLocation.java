package dev.zonedev.api.pfn;

import dev.zonedev.api.ZoneDeviceException;
import java.util.Locale;

/**
 * Where a pfn device keeps its memmap: the {@code map=} option and the info block's {@code mode}
 * field ({@code PFN_MODE_RAM} / {@code PFN_MODE_PMEM}).
 */
public enum MapLocation {
    /** {@code map=mem}: struct pages live in RAM; the namespace only reserves its info block. */
    MEM(1),
    /** {@code map=dev}: struct pages live in the namespace itself, through an altmap. */
    DEV(2);

    private final int onMedia;

    MapLocation(int onMedia) {
        this.onMedia = onMedia;
    }

    /** The value stored in the info block's {@code mode} field. */
    public int onMedia() {
        return onMedia;
    }

    /** The option text: {@code mem} or {@code dev}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the {@code map=} option; null means the default, {@link #MEM}.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} naming the accepted
     *     values
     */
    public static MapLocation parse(String option) {
        if (option == null) {
            return MEM;
        }
        for (MapLocation m : values()) {
            if (m.text().equalsIgnoreCase(option.strip())) {
                return m;
            }
        }
        throw ZoneDeviceException.invalid(
                "option map=" + option + " is unknown; accepted: map=mem (default), map=dev");
    }

    /**
     * The location stored in an info block's {@code mode} field.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#IO_ERROR} for any other value
     */
    public static MapLocation fromMedia(int value) {
        for (MapLocation m : values()) {
            if (m.onMedia == value) {
                return m;
            }
        }
        throw ZoneDeviceException.ioError(
                "info block mode " + value + " is unknown; accepted: 1 (map=mem), 2 (map=dev)");
    }
}
