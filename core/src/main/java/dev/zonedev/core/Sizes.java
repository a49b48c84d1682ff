package dev.zonedev.core;

import dev.zonedev.api.ZoneDeviceException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes with binary suffixes, as users type them: {@code 4096}, {@code 4K}, {@code 2M}, {@code
 * 16G}, {@code 1T} (optionally followed by {@code iB} or {@code B}). Stateless.
 */
public final class Sizes {
    /** The largest size accepted: 2^62 bytes. */
    public static final long MAX = 1L << 62;

    /**
     * ASCII digits, then an optional unit with an optional {@code iB}/{@code B}, or a bare {@code
     * B}, in any case. Only ASCII: {@code Character.isDigit} and {@code Long.parseLong} would also
     * take other scripts' digits, and upper-casing would turn a dotless {@code ı} into {@code I}.
     */
    private static final Pattern FORM =
            Pattern.compile("([0-9]+)(?:([KMGT])(?:I?B)?|B)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    /**
     * Parses a size.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} naming what is
     *     accepted, for text that is empty, negative, malformed or larger than 2^62
     */
    public static long parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw invalid(text);
        }
        int shift =
                m.group(2) == null
                        ? 0
                        : 10 * (1 + "KMGT".indexOf(m.group(2).toUpperCase(Locale.ROOT).charAt(0)));
        long value;
        try {
            value = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw tooLarge(text); // only ASCII digits, so more than a long holds
        }
        if (value > MAX >>> shift) {
            throw tooLarge(text);
        }
        return value << shift;
    }

    /** The size in the largest binary unit that divides it, e.g. {@code 2M}, {@code 1536K}. */
    public static String format(long bytes) {
        String[] units = {"T", "G", "M", "K"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes >> shifts[i]) + units[i];
            }
        }
        return Long.toString(bytes);
    }

    private static ZoneDeviceException tooLarge(String text) {
        return ZoneDeviceException.invalid(
                "size \""
                        + text
                        + "\" is out of range; accepted: 0 to 2^62 bytes ("
                        + MAX
                        + ", "
                        + (MAX >> 40)
                        + "T), optionally with a binary suffix K, M, G or T");
    }

    private static ZoneDeviceException invalid(String text) {
        return ZoneDeviceException.invalid(
                "size \""
                        + text
                        + "\" is not valid; accepted: a whole number of bytes"
                        + " up to 2^62, optionally with a binary suffix K, M, G or T (e.g. 4K, 2M, 16G)");
    }
}
