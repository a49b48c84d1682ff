package dev.zonedev.api.pfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the small parsers of the api: {@code mode=} ({@link NamespaceMode#parse}),
 * {@code map=} ({@link MapLocation#parse}) and the {@code uuid=} option
 * ({@link InfoBlockStore#parentUuid}): their canonical text parses back, anything else is
 * INVALID naming what is accepted.
 */
class OptionProperties {
    @Property(tries = 200)
    void modesAndMapsParseBackFromTheirText(@ForAll NamespaceMode mode, @ForAll MapLocation map) {
        assertEquals(mode, NamespaceMode.parse(mode.text()));
        assertEquals(map, MapLocation.parse(map.text()));
    }

    @Property(tries = 1500)
    void otherModesAndMapsAreInvalidNamingTheAcceptedValues(@ForAll("words") String text) {
        try {
            NamespaceMode m = NamespaceMode.parse(text);
            assertTrue(m.text().equalsIgnoreCase(text.strip()), text);
        } catch (ZoneDeviceException e) {
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains("accepted: raw, fsdax, devdax"), e.getMessage());
        }
        try {
            MapLocation m = MapLocation.parse(text);
            assertTrue(text == null || m.text().equalsIgnoreCase(text.strip()), text);
        } catch (ZoneDeviceException e) {
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains("accepted: map=mem (default), map=dev"), e.getMessage());
        }
    }

    @Property(tries = 1000)
    void aUuidParsesBackFromItsText(@ForAll("uuids") UUID uuid) {
        assertEquals(uuid, InfoBlockStore.parentUuid(device(uuid.toString())));
        assertEquals(uuid, InfoBlockStore.parentUuid(device(uuid.toString().toUpperCase(java.util.Locale.ROOT))));
    }

    @Property(tries = 1000)
    void onlyThe8_4_4_4_12FormIsAUuid(@ForAll("uuidTexts") String text) {
        UUID u;
        try {
            u = InfoBlockStore.parentUuid(device(text));
        } catch (ZoneDeviceException e) {
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(e.getMessage().contains("accepted: the 8-4-4-4-12 hex form"), e.getMessage());
            return;
        }
        assertTrue(text.strip().matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
                "accepted a uuid that is not in the documented form: " + text + " -> " + u);
    }

    /** Found by the property above: UUID.fromString reads "1-1-1-1-1" (and "+1-..."), which names no namespace anyone wrote. */
    @Example
    void aShortenedUuidIsRefused() {
        for (String text : new String[] {"1-1-1-1-1", "0-0-0-0-0", "+1-2-3-4-5", "00000000-0000-0000-0000-0000000000001"}) {
            ZoneDeviceException e = assertThrows(ZoneDeviceException.class,
                    () -> InfoBlockStore.parentUuid(device(text)), text);
            assertEquals(ErrorCode.INVALID, e.code());
        }
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10), Arbitraries.of("raw", "FSDAX", " devdax ",
                "mem", "DEV", "ram", "pmem", "", "fsdax\u0000", "dev\u0131", "d\u0131v"), Arbitraries.just(null));
    }

    @Provide
    Arbitrary<UUID> uuids() {
        return net.jqwik.api.Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
    }

    @Provide
    Arbitrary<String> uuidTexts() {
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdefABCDEF+-g ").ofMinLength(0)
                .ofMaxLength(13);
        return Arbitraries.oneOf(hex.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("-", l)),
                uuids().map(UUID::toString), Arbitraries.strings().ofMaxLength(40));
    }

    private static TestNamespace device(String uuidOption) {
        return new TestNamespace("namespace0.0", NamespaceMode.FSDAX, new PhysicalRange(1L << 32, 2L << 20), 0,
                Pages.PMD_SIZE, MemorySegment.NULL, false, Map.of(InfoBlockStore.OPTION_UUID, uuidOption));
    }
}
