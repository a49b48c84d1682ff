package dev.zonedev.api.pfn;

import static dev.zonedev.api.testing.Gens.anyLong;
import static dev.zonedev.api.testing.Gens.enums;
import static dev.zonedev.api.testing.Gens.just;
import static dev.zonedev.api.testing.Gens.lists;
import static dev.zonedev.api.testing.Gens.of;
import static dev.zonedev.api.testing.Gens.oneOf;
import static dev.zonedev.api.testing.Gens.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.testing.Props;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of the small parsers of the api: {@code mode=} ({@link NamespaceMode#parse}), {@code
 * map=} ({@link MapLocation#parse}) and the {@code uuid=} option ({@link
 * InfoBlockStore#parentUuid}): their canonical text parses back, anything else is INVALID naming
 * what is accepted.
 */
class OptionProperties {
    @Test
    void modesAndMapsParseBackFromTheirText() {
        Props.check(
                200,
                enums(NamespaceMode.class),
                enums(MapLocation.class),
                (mode, map) -> {
                    assertEquals(mode, NamespaceMode.parse(mode.text()));
                    assertEquals(map, MapLocation.parse(map.text()));
                });
    }

    @Test
    void otherModesAndMapsAreInvalidNamingTheAcceptedValues() {
        Props.check(1500, words(), OptionProperties::otherModeOrMap);
    }

    private static void otherModeOrMap(String text) {
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
            assertTrue(
                    e.getMessage().contains("accepted: map=mem (default), map=dev"),
                    e.getMessage());
        }
    }

    @Test
    void aUuidParsesBackFromItsText() {
        Props.check(
                1000,
                uuids(),
                uuid -> {
                    assertEquals(uuid, InfoBlockStore.parentUuid(device(uuid.toString())));
                    assertEquals(
                            uuid,
                            InfoBlockStore.parentUuid(
                                    device(uuid.toString().toUpperCase(java.util.Locale.ROOT))));
                });
    }

    @Test
    void onlyThe8_4_4_4_12FormIsAUuid() {
        Props.check(1000, uuidTexts(), OptionProperties::onlyTheDocumentedUuidForm);
    }

    private static void onlyTheDocumentedUuidForm(String text) {
        UUID u;
        try {
            u = InfoBlockStore.parentUuid(device(text));
        } catch (ZoneDeviceException e) {
            assertEquals(ErrorCode.INVALID, e.code());
            assertTrue(
                    e.getMessage().contains("accepted: the 8-4-4-4-12 hex form"), e.getMessage());
            return;
        }
        assertTrue(
                text.strip()
                        .matches(
                                "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
                "accepted a uuid that is not in the documented form: " + text + " -> " + u);
    }

    /**
     * Found by the property above: UUID.fromString reads "1-1-1-1-1" (and "+1-..."), which names no
     * namespace anyone wrote.
     */
    @Test
    void aShortenedUuidIsRefused() {
        for (String text :
                new String[] {
                    "1-1-1-1-1", "0-0-0-0-0", "+1-2-3-4-5", "00000000-0000-0000-0000-0000000000001"
                }) {
            ZoneDeviceException e =
                    assertThrows(
                            ZoneDeviceException.class,
                            () -> InfoBlockStore.parentUuid(device(text)),
                            text);
            assertEquals(ErrorCode.INVALID, e.code());
        }
    }

    private static Gen<String> words() {
        return oneOf(
                strings(0, 10),
                of(
                        "raw",
                        "FSDAX",
                        " devdax ",
                        "mem",
                        "DEV",
                        "ram",
                        "pmem",
                        "",
                        "fsdax\u0000",
                        "dev\u0131",
                        "d\u0131v"),
                just((String) null));
    }

    private static Gen<UUID> uuids() {
        return anyLong().zip(anyLong(), UUID::new);
    }

    private static Gen<String> uuidTexts() {
        Gen<String> hex = strings("0123456789abcdefABCDEF+-g ", 0, 13);
        return oneOf(
                lists(hex, 1, 6).map(l -> String.join("-", l)),
                uuids().map(UUID::toString),
                strings(0, 40));
    }

    private static TestNamespace device(String uuidOption) {
        return new TestNamespace(
                "namespace0.0",
                NamespaceMode.FSDAX,
                new PhysicalRange(1L << 32, 2L << 20),
                0,
                Pages.PMD_SIZE,
                MemorySegment.NULL,
                false,
                Map.of(InfoBlockStore.OPTION_UUID, uuidOption));
    }
}
