package dev.zonedev.driver.devdax;

import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.pfn.PagemapControl;
import dev.zonedev.api.pfn.PfnInfoBlock;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A namespace bound by the device-dax driver: its info block, its {@link DaxRegion} with the
 * devices carved from it, and {@code memmap_state}.
 *
 * <p>{@link #close()} disables the region and every device (later faults and accesses fail with
 * {@code NO_DEVICE}, mapping tables are zapped), tears the pagemap down, and forces a file-backed,
 * mapped namespace to storage. Thread-safe; close is idempotent.
 */
public final class DevDaxNamespace implements BoundNamespace {
    private final NamespaceDevice namespace;
    private final PfnInfoBlock infoBlock;
    private final DaxRegion region;
    private final DevPagemap pagemap;
    private final MemmapControl control;
    private volatile boolean closed;
    private volatile boolean tornDown;

    DevDaxNamespace(
            NamespaceDevice namespace,
            PfnInfoBlock infoBlock,
            DaxRegion region,
            DevPagemap pagemap) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.infoBlock = Objects.requireNonNull(infoBlock, "infoBlock");
        this.region = Objects.requireNonNull(region, "region");
        this.pagemap = Objects.requireNonNull(pagemap, "pagemap");
        this.control = new PagemapControl(namespace.name(), pagemap, () -> !closed);
    }

    /** The namespace this is bound to. */
    public NamespaceDevice namespace() {
        return namespace;
    }

    /** The info block in use. */
    public PfnInfoBlock infoBlock() {
        return infoBlock;
    }

    /** {@link #infoBlock()}. */
    @Override
    public Optional<PfnInfoBlock> pfnInfoBlock() {
        return Optional.of(infoBlock);
    }

    /** The region; create or destroy devices through it. */
    public DaxRegion region() {
        return region;
    }

    /** The live devices of the region, each a {@link DevDaxDevice}. */
    @Override
    public List<DaxDevice> daxDevices() {
        return List.copyOf(region.devices());
    }

    @Override
    public Optional<MemmapControl> memmapControl() {
        return Optional.of(control);
    }

    @Override
    public void close() {
        // Resumable: a close stopped by an interrupt or a timeout is finished by the next one.
        if (tornDown) {
            return;
        }
        closed = true;
        region.disable();
        try {
            pagemap.close();
            tornDown = true;
        } finally {
            MemorySegment memory = namespace.memory();
            if (namespace.persistent() && memory.isMapped()) {
                memory.force();
            }
        }
    }
}
