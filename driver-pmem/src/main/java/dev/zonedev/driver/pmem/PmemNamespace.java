package dev.zonedev.driver.pmem;

import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.pfn.PagemapControl;
import dev.zonedev.api.pfn.PfnInfoBlock;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A namespace bound by the pmem driver: one {@link PmemDevice}, and for fsdax the info block, the
 * pagemap and its {@code memmap_state}.
 *
 * <p>{@link #close()} disables the device first (later accesses fail with {@code NO_DEVICE}), then
 * tears the pagemap down, then, for a file-backed namespace whose view is a mapped segment, forces
 * every page written through the kernel-address view to storage. Thread-safe; close is idempotent
 * and the first caller does the work.
 */
public final class PmemNamespace implements BoundNamespace {
    private final NamespaceDevice namespace;
    private final PmemDevice device;
    private final Optional<PfnInfoBlock> infoBlock;
    private final Optional<DevPagemap> pagemap;
    private volatile boolean tornDown;
    private final Optional<MemmapControl> control;

    PmemNamespace(
            NamespaceDevice namespace,
            PmemDevice device,
            Optional<PfnInfoBlock> infoBlock,
            Optional<DevPagemap> pagemap) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.device = Objects.requireNonNull(device, "device");
        this.infoBlock = Objects.requireNonNull(infoBlock, "infoBlock");
        this.pagemap = Objects.requireNonNull(pagemap, "pagemap");
        this.control = pagemap.map(p -> new PagemapControl(device.name(), p, device::enabled));
    }

    /** The block device, raw or fsdax; usable until {@link #close()}. */
    public PmemDevice device() {
        return device;
    }

    /** The info block in use (fsdax), or empty (raw). */
    public Optional<PfnInfoBlock> infoBlock() {
        return infoBlock;
    }

    /** {@link #device()}, raw or fsdax. */
    @Override
    public Optional<DaxDevice> blockDevice() {
        return Optional.of(device);
    }

    /** {@link #infoBlock()}. */
    @Override
    public Optional<PfnInfoBlock> pfnInfoBlock() {
        return infoBlock;
    }

    /** The namespace this is bound to. */
    public NamespaceDevice namespace() {
        return namespace;
    }

    /** The pmem device for fsdax; none for raw, which has no struct pages to map. */
    @Override
    public List<DaxDevice> daxDevices() {
        return namespace.mode() == NamespaceMode.FSDAX ? List.of(device) : List.of();
    }

    @Override
    public Optional<MemmapControl> memmapControl() {
        return control;
    }

    @Override
    public void close() {
        // Resumable: a close stopped by an interrupt or a timeout is finished by the next one.
        if (tornDown) {
            return;
        }
        device.disable();
        try {
            pagemap.ifPresent(DevPagemap::close);
            tornDown = true;
        } finally {
            flush(namespace);
        }
    }

    /** Forces a file-backed namespace's mapped view to storage; nothing to do otherwise. */
    static void flush(NamespaceDevice namespace) {
        MemorySegment memory = namespace.memory();
        if (namespace.persistent() && memory.isMapped()) {
            memory.force();
        }
    }
}
