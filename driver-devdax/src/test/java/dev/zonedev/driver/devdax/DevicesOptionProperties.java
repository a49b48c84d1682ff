package dev.zonedev.driver.devdax;

import static dev.zonedev.api.testing.Gens.booleans;
import static dev.zonedev.api.testing.Gens.ints;
import static dev.zonedev.api.testing.Gens.just;
import static dev.zonedev.api.testing.Gens.lists;
import static dev.zonedev.api.testing.Gens.longs;
import static dev.zonedev.api.testing.Gens.of;
import static dev.zonedev.api.testing.Gens.oneOf;
import static dev.zonedev.api.testing.Gens.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.Props;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of the devdax {@code devices=SIZE,...} option ({@link DevDaxDriver#parseSizes}): the
 * sizes the README documents for every size (bytes, K, M, G, T, with an optional iB or B) parse to
 * their exact values, overflow and garbage are INVALID with a message.
 */
class DevicesOptionProperties {
    private static final String[] UNITS = {"", "K", "M", "G", "T"};

    /** One size as a user may type it, and its value. */
    record Typed(String text, long bytes) {}

    private static Gen<Typed> typedSizes() {
        return longs(1, 1L << 20)
                .zip(
                        ints(0, 4),
                        of("", "B", "iB", "ib"),
                        booleans(),
                        (n, u, tail, lower) -> {
                            String t = n + UNITS[u] + (u == 0 && !tail.equals("B") ? "" : tail);
                            return new Typed(lower ? t.toLowerCase(Locale.ROOT) : t, n << (10 * u));
                        });
    }

    @Test
    void documentedSizesParseToExactValuesInOrder() {
        Props.check(
                1500,
                lists(typedSizes(), 1, 6),
                booleans(),
                DevicesOptionProperties::documentedSizesParseToExactValuesInOrder);
    }

    private static void documentedSizesParseToExactValuesInOrder(
            List<Typed> sizes, boolean spaces) {
        String option = String.join(spaces ? " , " : ",", sizes.stream().map(Typed::text).toList());
        assertEquals(
                sizes.stream().map(Typed::bytes).toList(),
                DevDaxDriver.parseSizes("ns", option),
                option);
    }

    @Test
    void overflowIsRefused() {
        Props.check(
                1500,
                longs(1, Long.MAX_VALUE),
                units(),
                DevicesOptionProperties::overflowIsRefused);
    }

    private static void overflowIsRefused(long n, int unit) {
        String text = n + UNITS[unit];
        if (BigInteger.valueOf(n).shiftLeft(10 * unit).compareTo(BigInteger.ONE.shiftLeft(62))
                <= 0) {
            assertEquals(List.of(n << (10 * unit)), DevDaxDriver.parseSizes("ns", text));
            return;
        }
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> DevDaxDriver.parseSizes("ns", text));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(
                e.getMessage().contains("accepted") && e.getMessage().contains("2^62"),
                e.getMessage());
    }

    @Test
    void garbageIsInvalidWithAMessage() {
        Props.check(3000, garbage(), DevicesOptionProperties::garbageIsInvalidWithAMessage);
    }

    private static void garbageIsInvalidWithAMessage(String option) {
        List<Long> sizes;
        try {
            sizes = DevDaxDriver.parseSizes("ns", option);
        } catch (ZoneDeviceException e) {
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().startsWith("EINVAL: ns: option devices="), e.getMessage());
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
            return;
        }
        sizes.forEach(s -> assertTrue(s > 0, option));
        assertTrue(
                option == null
                        || option.isBlank()
                        || option.matches(
                                "(?i) *[0-9]+([KMGT](I?B)?|B)? *(, *[0-9]+([KMGT](I?B)?|B)? *)*"),
                "accepted an undocumented form: " + option);
    }

    /**
     * Found by the properties: devices= read K, M and G only, where every other size takes T and
     * iB/B too.
     */
    @Test
    void devicesTakeTheSameSizesAsTheRestOfTheSpec() {
        assertEquals(
                List.of(1L << 40, 2L << 20, 4L << 10, 3L),
                DevDaxDriver.parseSizes("ns", "1T,2MiB,4KB,3B"));
    }

    /**
     * Found by the properties (seed 6040469737356): strip() took a trailing control character for a
     * space.
     */
    @Test
    void onlySpacesAroundASize() {
        assertThrows(ZoneDeviceException.class, () -> DevDaxDriver.parseSizes("ns", "1\u001f"));
        assertThrows(ZoneDeviceException.class, () -> DevDaxDriver.parseSizes("ns", "\t2M"));
        assertEquals(List.of(2L << 20), DevDaxDriver.parseSizes("ns", " 2M "));
    }

    /** Found by the properties: Long.parseLong took other scripts' digits. */
    @Test
    void onlyAsciiDigits() {
        assertThrows(ZoneDeviceException.class, () -> DevDaxDriver.parseSizes("ns", "\u0662M"));
    }

    private static Gen<Integer> units() {
        return ints(0, 4);
    }

    private static Gen<String> garbage() {
        Gen<String> entry =
                oneOf(
                        of(
                                "2M",
                                "0",
                                "-2M",
                                "0x10",
                                "1.5G",
                                "K",
                                "",
                                " ",
                                "2MB",
                                "1T",
                                "2iB",
                                "9999999999999999999",
                                "8589934592G",
                                "\u0662M"),
                        strings("0123456789KMGTBiI -+.", 0, 8));
        return oneOf(
                lists(entry, 0, 4).map(l -> String.join(",", new ArrayList<>(l))),
                strings(0, 20),
                just((String) null));
    }
}
