package dev.zonedev.api;

import dev.zonedev.api.pfn.PfnInfoBlock;
import java.util.List;
import java.util.Optional;

/**
 * A namespace with a driver bound to it. Closing it disables the devices (later accesses fail with
 * {@link ErrorCode#NO_DEVICE}) and tears down their pagemaps. Thread-safe.
 */
public interface BoundNamespace extends AutoCloseable {
    /** The dax devices the driver created (none for {@link NamespaceMode#RAW}). */
    List<DaxDevice> daxDevices();

    /** The {@code memmap_state} attribute, when the namespace has a memmap. */
    Optional<MemmapControl> memmapControl();

    /**
     * The namespace's block device ({@code pmemX}), raw namespaces included: its data pages through
     * {@link DaxDevice#directAccess}, with pfns only when {@link DaxDevice#hasPfns()}. Constant
     * while bound; the default is empty (a driver without one, like device-dax).
     */
    default Optional<DaxDevice> blockDevice() {
        return Optional.empty();
    }

    /**
     * The pfn or dax info block the namespace was bound with: where its memmap lives ({@link
     * PfnInfoBlock#map()}), its alignment, data offset and uuids. Constant while bound; the default
     * is empty (no info block: raw, or a driver without on-media metadata).
     */
    default Optional<PfnInfoBlock> pfnInfoBlock() {
        return Optional.empty();
    }

    /** Unbinds; idempotent. */
    @Override
    void close();
}
