package dev.zonedev.driver.devdax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the devdax {@code devices=SIZE,...} option ({@link DevDaxDriver#parseSizes}):
 * the sizes the README documents for every size (bytes, K, M, G, T, with an optional iB or
 * B) parse to their exact values, overflow and garbage are INVALID with a message.
 */
class DevicesOptionProperties {
    private static final String[] UNITS = {"", "K", "M", "G", "T"};

    /** One size as a user may type it, and its value. */
    record Typed(String text, long bytes) {
    }

    @Provide
    Arbitrary<Typed> typedSizes() {
        return Combinators.combine(Arbitraries.longs().between(1, 1L << 20), Arbitraries.integers().between(0, 4),
                Arbitraries.of("", "B", "iB", "ib"), Arbitraries.of(true, false)).as((n, u, tail, lower) -> {
                    String t = n + UNITS[u] + (u == 0 && !tail.equals("B") ? "" : tail);
                    return new Typed(lower ? t.toLowerCase(Locale.ROOT) : t, n << (10 * u));
                });
    }

    @Property(tries = 1500)
    void documentedSizesParseToExactValuesInOrder(@ForAll @net.jqwik.api.constraints.Size(min = 1, max = 6)
            List<@net.jqwik.api.From("typedSizes") Typed> sizes, @ForAll boolean spaces) {
        String option = String.join(spaces ? " , " : ",", sizes.stream().map(Typed::text).toList());
        assertEquals(sizes.stream().map(Typed::bytes).toList(), DevDaxDriver.parseSizes("ns", option), option);
    }

    @Property(tries = 1500)
    void overflowIsRefused(@ForAll @LongRange(min = 1) long n, @ForAll("units") int unit) {
        String text = n + UNITS[unit];
        if (BigInteger.valueOf(n).shiftLeft(10 * unit).compareTo(BigInteger.ONE.shiftLeft(62)) <= 0) {
            assertEquals(List.of(n << (10 * unit)), DevDaxDriver.parseSizes("ns", text));
            return;
        }
        ZoneDeviceException e = assertThrows(ZoneDeviceException.class, () -> DevDaxDriver.parseSizes("ns", text));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("accepted") && e.getMessage().contains("2^62"), e.getMessage());
    }

    @Property(tries = 3000)
    void garbageIsInvalidWithAMessage(@ForAll("garbage") String option) {
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
        assertTrue(option == null || option.isBlank() || option.matches(
                "(?i) *[0-9]+([KMGT](I?B)?|B)? *(, *[0-9]+([KMGT](I?B)?|B)? *)*"), "accepted an undocumented form: "
                        + option);
    }

    /** Found by the properties: devices= read K, M and G only, where every other size takes T and iB/B too. */
    @Example
    void devicesTakeTheSameSizesAsTheRestOfTheSpec() {
        assertEquals(List.of(1L << 40, 2L << 20, 4L << 10, 3L), DevDaxDriver.parseSizes("ns", "1T,2MiB,4KB,3B"));
    }

    /** Found by the properties: Long.parseLong took other scripts' digits. */
    @Example
    void onlyAsciiDigits() {
        assertThrows(ZoneDeviceException.class, () -> DevDaxDriver.parseSizes("ns", "\u0662M"));
    }

    @Provide
    Arbitrary<Integer> units() {
        return Arbitraries.integers().between(0, 4);
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> entry = Arbitraries.oneOf(Arbitraries.of("2M", "0", "-2M", "0x10", "1.5G", "K", "", " ",
                "2MB", "1T", "2iB", "9999999999999999999", "8589934592G", "\u0662M"), Arbitraries.strings().withChars(
                        "0123456789KMGTBiI -+.").ofMaxLength(8));
        return Arbitraries.oneOf(entry.list().ofMaxSize(4).map(l -> String.join(",", new ArrayList<>(l))),
                Arbitraries.strings().ofMaxLength(20), Arbitraries.just((String) null));
    }
}
