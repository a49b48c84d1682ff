package dev.zonedev.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run of bad 512-byte sectors, as {@code /sys/block/pmemX/badblocks} lists them: {@code sector}
 * counts from the first data byte of the device ({@link BadSectors}). Immutable.
 *
 * @param sector first bad sector, 0 or more
 * @param count number of sectors, 1 or more
 */
public record BadSectorRange(long sector, long count) {
    /** Bytes per sector. */
    public static final long SECTOR_SIZE = 512;

    /**
     * {@code S} or {@code S+N} in ASCII digits ({@code Long.parseLong} alone would also take {@code
     * "+1"} after the plus, and other scripts' digits).
     */
    private static final Pattern FORM = Pattern.compile("([0-9]+)(?:\\s*\\+\\s*([0-9]+))?");

    /**
     * Checks the run.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} for a negative sector,
     *     a count below 1, or an end that overflows
     */
    public BadSectorRange {
        if (sector < 0 || count <= 0 || sector + count < 0) {
            throw ZoneDeviceException.invalid(
                    "bad sector range "
                            + sector
                            + "+"
                            + count
                            + " is not valid; accepted: sector >= 0 and count >= 1");
        }
    }

    /** One past the last bad sector. */
    public long end() {
        return sector + count;
    }

    /**
     * Parses {@code S+N} ({@code N} sectors from {@code S}) or {@code S} (one sector).
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} naming the accepted
     *     form
     */
    public static BadSectorRange parse(String text) {
        Matcher m =
                FORM.matcher(
                        text == null
                                ? ""
                                : text.replaceAll("^ +| +$", "")); // spaces only, as documented
        try {
            if (m.matches()) {
                return new BadSectorRange(
                        Long.parseLong(m.group(1)),
                        m.group(2) == null ? 1 : Long.parseLong(m.group(2)));
            }
        } catch (NumberFormatException e) {
            // ASCII digits only, so more than a long holds: reported below
        }
        throw ZoneDeviceException.invalid(
                "bad sector range \""
                        + text
                        + "\" is not valid; accepted: SECTOR or SECTOR+COUNT, decimal, each below 2^63");
    }

    @Override
    public String toString() {
        return sector + "+" + count;
    }
}
