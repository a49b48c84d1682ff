package dev.zonedev.api;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A namespace the platform offers to drivers: a range of device memory with real storage behind it.
 * Thread-safe; the memory stays mapped until the platform destroys the namespace.
 */
public interface NamespaceDevice {
    /** The namespace name, unique on the platform, e.g. {@code namespace0.0}. */
    String name();

    /** The mode the user asked for. */
    NamespaceMode mode();

    /** The physical range the platform assigned; 2 MiB aligned. */
    PhysicalRange range();

    /** NUMA node. */
    int nid();

    /** Alignment the user asked for, in bytes (a power of two, at least 4 KiB). */
    long align();

    /** Kernel-address view of the whole namespace: reads and writes reach its storage. */
    MemorySegment memory();

    /** True when the storage is a file that outlives the process. */
    boolean persistent();

    /**
     * The file behind {@link #memory()} when {@link #persistent()}, for messages naming it (a fault
     * of the mapped file, say); empty for anonymous memory, and by default.
     */
    default Optional<Path> file() {
        return Optional.empty();
    }

    /** Driver-specific options from the user ({@code map=dev}, ...), never null. */
    Map<String, String> options();
}
