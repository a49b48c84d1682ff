package dev.zonedev.api;


/**
 * A run of bad 512-byte sectors, as {@code /sys/block/pmemX/badblocks} lists them:
 * {@code sector} counts from the first data byte of the device ({@link BadSectors}).
 * Immutable.
 *
 * @param sector first bad sector, 0 or more
 * @param count  number of sectors, 1 or more
 */
public record BadSectorRange(long sector, long count) {
    /** Bytes per sector. */
    public static final long SECTOR_SIZE = 512;

    /**
     * Checks the run.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} for a negative
     *     sector, a count below 1, or an end that overflows
     */
    public BadSectorRange {
        if (sector < 0 || count <= 0 || sector + count < 0) {
            throw ZoneDeviceException.invalid("bad sector range " + sector + "+" + count
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
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} naming the accepted form
     */
    public static BadSectorRange parse(String text) {
        String t = text.strip();
        try {
            int plus = t.indexOf('+');
            if (plus < 0) {
                return new BadSectorRange(Long.parseLong(t), 1);
            }
            return new BadSectorRange(Long.parseLong(t.substring(0, plus).strip()),
                    Long.parseLong(t.substring(plus + 1).strip()));
        } catch (NumberFormatException e) {
            throw ZoneDeviceException.invalid("bad sector range \"" + text
                    + "\" is not valid; accepted: SECTOR or SECTOR+COUNT, decimal");
        }
    }

    @Override
    public String toString() {
        return sector + "+" + count;
    }
}
