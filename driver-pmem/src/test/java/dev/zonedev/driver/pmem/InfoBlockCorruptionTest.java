package dev.zonedev.driver.pmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.InfoBlockKind;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.api.testing.Fixtures;
import dev.zonedev.api.testing.TestNamespace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of bad info block is refused with a clear error, and not one byte changes. */
class InfoBlockCorruptionTest {
    private final Arena arena = Arena.ofShared();
    private TestNamespace ns;
    private MemorySegment page;

    @BeforeEach
    void writeAValidNamespaceWithData() {
        ns = Fixtures.anonymous(arena, NamespaceMode.FSDAX, Fixtures.SIZE, Map.of());
        try (PmemNamespace bound =
                (PmemNamespace)
                        new PmemDriver().bind(ns, Fixtures.context(mock(DevPagemap.class)))) {
            new FsDax(bound.device(), false).write(0, "precious data".getBytes());
        }
        page = ns.memory().asSlice(PfnInfoBlock.OFFSET, PfnInfoBlock.SIZE);
    }

    @AfterEach
    void close() {
        arena.close();
    }

    private ZoneDeviceException refused(
            TestNamespace target, Consumer<MemorySegment> corrupt, ErrorCode code, String phrase) {
        corrupt.accept(page);
        byte[] before = Fixtures.bytes(target.memory());
        DriverContext context = mock(DriverContext.class);
        ZoneDeviceException e =
                assertThrows(
                        ZoneDeviceException.class, () -> new PmemDriver().bind(target, context));
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(phrase), e.getMessage());
        assertArrayEquals(before, Fixtures.bytes(target.memory()), "the namespace changed");
        verify(context, never()).memremapPages(any());
        return e;
    }

    @Test
    void badSignature() {
        refused(
                ns,
                p -> p.set(ValueLayout.JAVA_BYTE, 0, (byte) 'M'),
                ErrorCode.IO_ERROR,
                "no known signature");
    }

    @Test
    void badChecksum() {
        refused(ns, p -> flip(p, 60), ErrorCode.IO_ERROR, "checksum mismatch");
    }

    @Test
    void storedChecksumAltered() {
        refused(ns, p -> flip(p, 4090), ErrorCode.IO_ERROR, "checksum mismatch");
    }

    @Test
    void wrongVersion() {
        refused(
                ns,
                p -> {
                    PfnInfoBlock b = PfnInfoBlock.decode(p, "t");
                    new PfnInfoBlock(
                                    b.kind(),
                                    b.uuid(),
                                    b.parentUuid(),
                                    7,
                                    1,
                                    b.dataOffset(),
                                    b.npfns(),
                                    b.map(),
                                    b.align(),
                                    b.namespaceSize())
                            .encode(p);
                },
                ErrorCode.INVALID,
                "version 7.1 is not supported");
    }

    @Test
    void foreignData() {
        refused(
                ns,
                p -> {
                    byte[] noise = new byte[(int) PfnInfoBlock.SIZE];
                    new Random(1).nextBytes(noise);
                    MemorySegment.copy(MemorySegment.ofArray(noise), 0, p, 0, noise.length);
                },
                ErrorCode.IO_ERROR,
                "refusing to write over it");
    }

    @Test
    void truncatedNamespaceSmallerThanTheBlockSays() {
        long half = Fixtures.SIZE / 2;
        TestNamespace truncated =
                ns.withMemory(
                        ns.memory().asSlice(0, half), new PhysicalRange(Fixtures.START, half));
        refused(truncated, p -> {}, ErrorCode.IO_ERROR, "truncated");
    }

    @Test
    void blockOfAnotherNamespace() {
        TestNamespace other =
                new TestNamespace(
                        "namespace1.0",
                        ns.mode(),
                        ns.range(),
                        0,
                        ns.align(),
                        ns.memory(),
                        false,
                        Map.of());
        refused(other, p -> {}, ErrorCode.INVALID, "belongs to namespace uuid");
    }

    @Test
    void devdaxBlockWithoutRelabelIsBusy() {
        refused(
                ns,
                p -> PfnInfoBlock.decode(p, "t").relabel(InfoBlockKind.DEVDAX).encode(p),
                ErrorCode.BUSY,
                "relabel=true");
    }

    /**
     * Changes one byte for sure (setting a constant can leave a random checksum byte as it was).
     */
    private static void flip(java.lang.foreign.MemorySegment page, long offset) {
        page.set(
                ValueLayout.JAVA_BYTE,
                offset,
                (byte) (page.get(ValueLayout.JAVA_BYTE, offset) ^ 0x5a));
    }
}
