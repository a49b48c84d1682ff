package dev.zonedev.api.pfn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The libnvdimm checksum ({@code nd_fletcher64}): a Fletcher-64 sum over little-endian 32-bit
 * words. Stateless and thread-safe.
 */
public final class Fletcher64 {
    private static final ValueLayout.OfInt LE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Fletcher64() {}

    /**
     * Sums {@code segment} as consecutive little-endian 32-bit words; a trailing remainder shorter
     * than a word is ignored, as the kernel does.
     *
     * @return {@code hi32 << 32 | lo32}
     */
    public static long checksum(MemorySegment segment) {
        long lo32 = 0;
        long hi32 = 0;
        long words = segment.byteSize() / Integer.BYTES;
        for (long i = 0; i < words; i++) {
            lo32 =
                    (lo32 + Integer.toUnsignedLong(segment.get(LE_INT, i * Integer.BYTES)))
                            & 0xffff_ffffL;
            hi32 += lo32;
        }
        return hi32 << 32 | lo32;
    }
}
