package dev.zonedev.driver.devdax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesOptionTest {
    @Test
    void onlyCommasIsRefusedNotReadAsNoDevices() {
        for (String option : new String[] {",", ",,", "2M,", ",2M"}) {
            ZoneDeviceException e =
                    assertThrows(
                            ZoneDeviceException.class,
                            () -> DevDaxDriver.parseSizes("ns", option),
                            option);
            assertEquals(ErrorCode.INVALID, e.code());
        }
        assertEquals(List.of(2L << 20, 4L << 20), DevDaxDriver.parseSizes("ns", "2M, 4M"));
    }
}
