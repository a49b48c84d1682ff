package dev.zonedev.core;

import static dev.zonedev.api.testing.Gens.booleans;
import static dev.zonedev.api.testing.Gens.ints;
import static dev.zonedev.api.testing.Gens.longs;
import static dev.zonedev.api.testing.Gens.numericStrings;
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
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of {@link Sizes}: exact values, the canonical form round-trips, overflow and garbage
 * refused.
 */
class SizesProperties {
    private static final long MAX = 1L << 62;
    private static final String[] UNITS = {"", "K", "M", "G", "T"};

    @Test
    void theCanonicalFormParsesBackToTheSameValue() {
        Props.check(2000, sizes(), SizesProperties::theCanonicalFormParsesBackToTheSameValue);
    }

    private static void theCanonicalFormParsesBackToTheSameValue(long bytes) {
        assertEquals(bytes, Sizes.parse(Sizes.format(bytes)));
    }

    @Test
    void aNumberWithASuffixIsExactlyThatManyUnits() {
        Props.check(
                2000,
                longs(0, 1L << 22),
                unitIndexes(),
                tails(),
                booleans(),
                SizesProperties::aNumberWithASuffixIsExactlyThatManyUnits);
    }

    private static void aNumberWithASuffixIsExactlyThatManyUnits(
            long n, int unit, String tail, boolean lower) {
        String text = n + UNITS[unit] + (unit == 0 && tail.equalsIgnoreCase("iB") ? "" : tail);
        if (lower) {
            text = text.toLowerCase(Locale.ROOT);
        }
        assertEquals(n << (10 * unit), Sizes.parse(text), text);
        assertEquals(n << (10 * unit), Sizes.parse("  " + text + "\t"), text);
    }

    /**
     * Every value past 2^62 is refused, whatever its unit, naming the accepted range; nothing
     * wraps.
     */
    @Test
    void overflowIsRefusedNamingTheRange() {
        Props.check(
                2000,
                hugeDigits(),
                unitIndexes(),
                SizesProperties::overflowIsRefusedNamingTheRange);
    }

    private static void overflowIsRefusedNamingTheRange(String digits, int unit) {
        String text = digits + UNITS[unit];
        BigInteger value = new BigInteger(digits).shiftLeft(10 * unit);
        if (value.compareTo(BigInteger.valueOf(MAX)) <= 0) {
            assertEquals(value.longValueExact(), Sizes.parse(text));
            return;
        }
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> Sizes.parse(text), text);
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("2^62"), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    /** Garbage: a usage error with a message, never a NumberFormatException or a wrapped value. */
    @Test
    void garbageIsInvalidWithAMessage() {
        Props.check(3000, garbage(), SizesProperties::garbageIsInvalidWithAMessage);
    }

    private static void garbageIsInvalidWithAMessage(String text) {
        long value;
        try {
            value = Sizes.parse(text);
        } catch (ZoneDeviceException e) {
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
            return;
        }
        assertTrue(value >= 0 && value <= MAX, text + " -> " + value);
        assertTrue(
                text.strip().matches("(?i)[0-9]+([KMGT](I?B)?|B)?"),
                "accepted an undocumented form: " + text);
    }

    @Test
    void nineteenNinesAreRefusedAsTooLargeNotANumberFormatException() {
        ZoneDeviceException e =
                assertThrows(ZoneDeviceException.class, () -> Sizes.parse("9999999999999999999"));
        assertTrue(e.getMessage().contains("2^62"), e.getMessage());
    }

    @Test
    void onlyAsciiDigitsAreANumber() {
        // Character.isDigit and Long.parseLong accept any Unicode digit: the documented form is 0-9
        assertThrows(ZoneDeviceException.class, () -> Sizes.parse("\u0663K"));
        assertThrows(ZoneDeviceException.class, () -> Sizes.parse("\uff12M"));
        assertThrows(
                ZoneDeviceException.class,
                () -> Sizes.parse("2M\u0131B")); // a dotless i upper-cases to I
    }

    @Test
    void iBNeedsAUnitBeforeIt() {
        assertThrows(ZoneDeviceException.class, () -> Sizes.parse("4iB"));
        assertEquals(4, Sizes.parse("4B"));
    }

    private static Gen<Long> sizes() {
        return oneOf(
                longs(0, MAX),
                longs(0, 1L << 22).flatMap(n -> ints(0, 40).map(s -> Math.min(MAX, n << s))),
                of(0L, 1L, 4096L, MAX, MAX - 1, 1L << 40, (1L << 22) << 40));
    }

    private static Gen<Integer> unitIndexes() {
        return ints(0, UNITS.length - 1);
    }

    private static Gen<String> tails() {
        return of("", "B", "iB", "IB", "ib");
    }

    private static Gen<String> hugeDigits() {
        return oneOf(
                numericStrings(1, 40),
                longs(0, Long.MAX_VALUE).map(n -> Long.toUnsignedString(n)),
                of(
                        "4611686018427387904",
                        "4611686018427387905",
                        "9223372036854775807",
                        "9223372036854775808",
                        "18446744073709551616",
                        "4194304",
                        "4194305",
                        "4096",
                        "4097",
                        "00000000000000000000000000001"));
    }

    /** Random text, and text built from the size alphabet so that it gets past the first checks. */
    private static Gen<String> garbage() {
        return oneOf(
                strings(0, 30),
                strings("0123456789KMGTBiIkmgtb+-. x\u0663\uff12\u00df\u0131", 0, 30),
                numericStrings(18, 21).map(s -> s + "K"),
                of("", " ", "K", "B", "iB", "KiB", "-0", "+1", "1e3", "0x10", "1_000", "١٢", "１"));
    }
}
