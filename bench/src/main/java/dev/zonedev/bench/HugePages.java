package dev.zonedev.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.zonedev.api.Pages;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Fresh anonymous memory for the reference passes, mapped the way the engine maps a memmap: a
 * private anonymous {@code mmap} (no reserve) with {@code madvise(MADV_HUGEPAGE)} over a 2
 * MiB-aligned {@link #memory() part} of the asked size, unmapped by {@link #close()}. The system
 * calls are bound through the FFM {@link Linker}. The memory may be written from any thread; a
 * failed call throws {@link IllegalStateException}.
 */
public final class HugePages implements AutoCloseable {
    private static final int PROT_READ_WRITE = 1 | 2;
    private static final int MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
    private static final int MADV_HUGEPAGE = 14;

    private static final MethodHandle MMAP =
            libc("mmap", ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle MADVISE =
            libc("madvise", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle MUNMAP = libc("munmap", JAVA_INT, ADDRESS, JAVA_LONG);

    private final MemorySegment mapping;
    private final MemorySegment memory;

    private HugePages(MemorySegment mapping, MemorySegment memory) {
        this.mapping = mapping;
        this.memory = memory;
    }

    /**
     * Maps {@code bytes} of fresh memory, 2 MiB-aligned and advised for huge pages (a mapping one
     * huge page longer, so the aligned part fits). Nothing is touched yet.
     */
    public static HugePages map(long bytes) {
        long length = bytes + Pages.PMD_SIZE;
        MemorySegment mapping;
        try {
            mapping =
                    (MemorySegment)
                            MMAP.invokeExact(
                                    MemorySegment.NULL,
                                    length,
                                    PROT_READ_WRITE,
                                    MAP_PRIVATE_ANONYMOUS_NORESERVE,
                                    -1,
                                    0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
        if (mapping.address() == -1L) {
            throw new IllegalStateException("mmap of " + length + " bytes failed");
        }
        long aligned = (mapping.address() + Pages.PMD_SIZE - 1) & -Pages.PMD_SIZE;
        MemorySegment memory = MemorySegment.ofAddress(aligned).reinterpret(bytes);
        try {
            int ignoredWhenThpIsOff = (int) MADVISE.invokeExact(memory, bytes, MADV_HUGEPAGE);
        } catch (Throwable t) {
            throw new IllegalStateException("madvise downcall failed", t);
        }
        return new HugePages(mapping.reinterpret(length), memory);
    }

    /** The aligned memory, of the size asked. */
    public MemorySegment memory() {
        return memory;
    }

    /** Unmaps the whole mapping; the memory must no longer be used. */
    @Override
    public void close() {
        int rc;
        try {
            rc = (int) MUNMAP.invokeExact(mapping, mapping.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
        if (rc != 0) {
            throw new IllegalStateException("munmap of " + mapping.byteSize() + " bytes failed");
        }
    }

    private static MethodHandle libc(String name, MemoryLayout result, MemoryLayout... args) {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol =
                linker.defaultLookup()
                        .find(name)
                        .orElseThrow(() -> new IllegalStateException("no " + name + " in libc"));
        return linker.downcallHandle(symbol, FunctionDescriptor.of(result, args));
    }
}
