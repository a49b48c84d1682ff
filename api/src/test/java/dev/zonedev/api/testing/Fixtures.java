package dev.zonedev.api.testing;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** Namespace fixtures backed by real memory, and engine mocks. */
public final class Fixtures {
    public static final long MiB = 1L << 20;

    /** A 2 MiB aligned physical start (4 GiB). */
    public static final long START = 1L << 32;

    public static final long SIZE = 64 * MiB;

    private Fixtures() {}

    /** An anonymous namespace, zero filled. */
    public static TestNamespace anonymous(
            Arena arena, NamespaceMode mode, long size, Map<String, String> options) {
        MemorySegment memory = arena.allocate(size, Pages.PAGE_SIZE);
        return new TestNamespace(
                "namespace0.0",
                mode,
                new PhysicalRange(START, size),
                0,
                Pages.PMD_SIZE,
                memory,
                false,
                options);
    }

    /** A namespace on a sparse file, mapped read-write in {@code arena}. */
    public static TestNamespace file(
            Arena arena, Path file, NamespaceMode mode, long size, Map<String, String> options) {
        return new TestNamespace(
                "namespace0.0",
                mode,
                new PhysicalRange(START, size),
                0,
                Pages.PMD_SIZE,
                map(arena, file, size),
                true,
                options);
    }

    /** Maps the first {@code size} bytes of {@code file}, creating it sparse when absent. */
    public static MemorySegment map(Arena arena, Path file, long size) {
        try (FileChannel ch =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A context whose memremapPages returns {@code pagemap}. */
    public static DriverContext context(DevPagemap pagemap) {
        DriverContext context = mock(DriverContext.class);
        when(context.memremapPages(any())).thenReturn(pagemap);
        return context;
    }

    public static byte[] bytes(MemorySegment segment) {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }
}
