package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {
    @ParameterizedTest
    @CsvSource({
        "4096,4096",
        "4K,4096",
        "2M,2097152",
        "2m,2097152",
        "16G,17179869184",
        "1T,1099511627776",
        "2MiB,2097152",
        "3GB,3221225472",
        " 8K ,8192"
    })
    void parsesBinarySuffixes(String text, long bytes) {
        assertEquals(bytes, Sizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.5G", "G", "12Q", "99999999999T", "0x10"})
    void refusesWhatItCannotRead(String text) {
        ZoneDeviceException e = assertThrows(ZoneDeviceException.class, () -> Sizes.parse(text));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("accepted"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"2097152,2M", "1572864,1536K", "1099511627776,1T", "100,100"})
    void formatsInTheLargestDividingUnit(long bytes, String text) {
        assertEquals(text, Sizes.format(bytes));
    }
}
