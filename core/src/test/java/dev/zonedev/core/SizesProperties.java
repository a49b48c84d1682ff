package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.math.BigInteger;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Properties of {@link Sizes}: exact values, the canonical form round-trips, overflow and garbage refused. */
class SizesProperties {
    private static final long MAX = 1L << 62;
    private static final String[] UNITS = {"", "K", "M", "G", "T"};

    @Property(tries = 2000)
    void theCanonicalFormParsesBackToTheSameValue(@ForAll("sizes") long bytes) {
        assertEquals(bytes, Sizes.parse(Sizes.format(bytes)));
    }

    @Property(tries = 2000)
    void aNumberWithASuffixIsExactlyThatManyUnits(@ForAll @LongRange(min = 0, max = 1L << 22) long n,
            @ForAll("unitIndexes") int unit, @ForAll("tails") String tail, @ForAll boolean lower) {
        String text = n + UNITS[unit] + (unit == 0 && tail.equalsIgnoreCase("iB") ? "" : tail);
        if (lower) {
            text = text.toLowerCase(Locale.ROOT);
        }
        assertEquals(n << (10 * unit), Sizes.parse(text), text);
        assertEquals(n << (10 * unit), Sizes.parse("  " + text + "\t"), text);
    }

    /** Every value past 2^62 is refused, whatever its unit, naming the accepted range; nothing wraps. */
    @Property(tries = 2000)
    void overflowIsRefusedNamingTheRange(@ForAll("hugeDigits") String digits, @ForAll("unitIndexes") int unit) {
        String text = digits + UNITS[unit];
        BigInteger value = new BigInteger(digits).shiftLeft(10 * unit);
        if (value.compareTo(BigInteger.valueOf(MAX)) <= 0) {
            assertEquals(value.longValueExact(), Sizes.parse(text));
            return;
        }
        ZoneDeviceException e = assertThrows(ZoneDeviceException.class, () -> Sizes.parse(text), text);
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("2^62"), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    /** Garbage: a usage error with a message, never a NumberFormatException or a wrapped value. */
    @Property(tries = 3000)
    void garbageIsInvalidWithAMessage(@ForAll("garbage") String text) {
        long value;
        try {
            value = Sizes.parse(text);
        } catch (ZoneDeviceException e) {
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains("accepted"), e.getMessage());
            return;
        }
        assertTrue(value >= 0 && value <= MAX, text + " -> " + value);
        assertTrue(text.strip().matches("(?i)[0-9]+([KMGT](I?B)?|B)?"), "accepted an undocumented form: " + text);
    }

    @Example
    void nineteenNinesAreRefusedAsTooLargeNotANumberFormatException() {
        ZoneDeviceException e = assertThrows(ZoneDeviceException.class, () -> Sizes.parse("9999999999999999999"));
        assertTrue(e.getMessage().contains("2^62"), e.getMessage());
    }

    @Example
    void onlyAsciiDigitsAreANumber() {
        // Character.isDigit and Long.parseLong accept any Unicode digit: the documented form is 0-9
        assertThrows(ZoneDeviceException.class, () -> Sizes.parse("\u0663K"));
        assertThrows(ZoneDeviceException.class, () -> Sizes.parse("\uff12M"));
        assertThrows(ZoneDeviceException.class, () -> Sizes.parse("2M\u0131B")); // a dotless i upper-cases to I
    }

    @Example
    void iBNeedsAUnitBeforeIt() {
        assertThrows(ZoneDeviceException.class, () -> Sizes.parse("4iB"));
        assertEquals(4, Sizes.parse("4B"));
    }

    @Provide
    Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, MAX),
                Arbitraries.longs().between(0, 1L << 22).flatMap(n -> Arbitraries.integers().between(0, 40)
                        .map(s -> Math.min(MAX, n << s))),
                Arbitraries.of(0L, 1L, 4096L, MAX, MAX - 1, 1L << 40, (1L << 22) << 40));
    }

    @Provide
    Arbitrary<Integer> unitIndexes() {
        return Arbitraries.integers().between(0, UNITS.length - 1);
    }

    @Provide
    Arbitrary<String> tails() {
        return Arbitraries.of("", "B", "iB", "IB", "ib");
    }

    @Provide
    Arbitrary<String> hugeDigits() {
        return Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(40),
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(Long::toUnsignedString),
                Arbitraries.of("4611686018427387904", "4611686018427387905", "9223372036854775807",
                        "9223372036854775808", "18446744073709551616", "4194304", "4194305", "4096", "4097",
                        "00000000000000000000000000001"));
    }

    /** Random text, and text built from the size alphabet so that it gets past the first checks. */
    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars("0123456789KMGTBiIkmgtb+-. x\u0663\uff12\u00df\u0131").ofMaxLength(30),
                Arbitraries.strings().numeric().ofMinLength(18).ofMaxLength(21).map(s -> s + "K"),
                Arbitraries.of("", " ", "K", "B", "iB", "KiB", "-0", "+1", "1e3", "0x10", "1_000", "١٢", "１"));
    }
}
