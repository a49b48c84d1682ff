package dev.zonedev.api;

import java.util.List;
import java.util.Optional;

/**
 * A namespace with a driver bound to it. Closing it disables the devices (later accesses
 * fail with {@link ErrorCode#NO_DEVICE}) and tears down their pagemaps. Thread-safe.
 */
public interface BoundNamespace extends AutoCloseable {
    /** The dax devices the driver created (none for {@link NamespaceMode#RAW}). */
    List<DaxDevice> daxDevices();

    /** The {@code memmap_state} attribute, when the namespace has a memmap. */
    Optional<MemmapControl> memmapControl();

    /** Unbinds; idempotent. */
    @Override
    void close();
}
