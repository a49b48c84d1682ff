package dev.zonedev.driver.devdax;

import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DaxMapping;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.PageFaults;
import dev.zonedev.api.Pages;
import dev.zonedev.api.Pfn;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A device-dax device ({@code struct dev_dax}, {@code /dev/daxX.Y}): a contiguous part of a {@link
 * DaxRegion} that user space maps whole, faulting it in at the region's alignment.
 *
 * <p>{@link #fault} follows {@code __dev_dax_pte_fault} / {@code _pmd_} / {@code _pud_} with the
 * seed's change: the pfn's struct pages for the whole fault are initialized with {@link
 * DevPagemap#memmapSync} ({@code dax_pfn_sync}) before the mapping is installed, here recorded in a
 * per-device mapping table ({@link #mappings()}). A fault is refused (the kernel's {@code
 * VM_FAULT_SIGBUS}) when the device is disabled, the offset is not a multiple of the fault size,
 * the fault size is not the device alignment (smaller is a SIGBUS in the kernel, larger a fallback
 * to a smaller fault; both are refused here, and the message says which size to use), or the fault
 * runs past the device.
 *
 * <p>Thread-safe: faults and direct accesses may run concurrently from any number of threads; the
 * mapping table is a concurrent map. {@link #disable()} makes every later call fail with {@code
 * NO_DEVICE} and zaps the mapping table ({@code unmap_mapping_range}).
 */
public final class DevDaxDevice implements DaxDevice, PageFaults {
    private final String name;
    private final DaxRegion region;
    private final long regionOffset;
    private final long size;
    private final MemorySegment data;
    private final long firstPfn;
    private final NavigableMap<Long, DaxMapping> mappings = new ConcurrentSkipListMap<>();
    private volatile boolean enabled = true;

    DevDaxDevice(String name, DaxRegion region, long regionOffset, long size) {
        this.name = Objects.requireNonNull(name, "name");
        this.region = Objects.requireNonNull(region, "region");
        this.regionOffset = regionOffset;
        this.size = size;
        this.data = region.data().asSlice(regionOffset, size);
        this.firstPfn = Pages.pfn(region.physStart() + regionOffset);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long nrPages() {
        return size / Pages.PAGE_SIZE;
    }

    /** Device size in bytes, a multiple of the region alignment. */
    public long size() {
        return size;
    }

    /** Byte offset of the device in its region. */
    public long regionOffset() {
        return regionOffset;
    }

    /** The region this device was carved from. */
    public DaxRegion region() {
        return region;
    }

    /** The alignment every fault must have: the region's. */
    public long align() {
        return region.align();
    }

    /** {@link #align()}. */
    @Override
    public long alignment() {
        return region.align();
    }

    /** This device: every device-dax device is mapped in faults of its alignment. */
    @Override
    public Optional<PageFaults> pageFaults() {
        return Optional.of(this);
    }

    /** Physical address of the device's first byte. */
    public long physStart() {
        return region.physStart() + regionOffset;
    }

    /** True until {@link #disable()}. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Handles a fault of {@code size} at device byte {@code offset}: computes the pfn, initializes
     * its struct pages for the whole fault ({@code memmapSync(pfn, size.pages())}), then records
     * and returns the mapping. Faulting an offset already mapped maps it again (same answer).
     *
     * @throws ZoneDeviceException (each a SIGBUS) {@code NO_DEVICE} when disabled; {@code INVALID}
     *     for a negative or misaligned offset or a size other than the device alignment; {@code
     *     OUT_OF_RANGE} past the end; and whatever {@link DevPagemap#memmapSync} throws, with
     *     nothing recorded
     */
    @Override
    public DaxMapping fault(long offset, FaultSize size) {
        Objects.requireNonNull(size, "size");
        checkEnabled("fault");
        long align = region.align();
        if (size.bytes() < align) {
            throw ZoneDeviceException.invalid(
                    "SIGBUS: "
                            + size
                            + " fault on "
                            + name
                            + " whose alignment is "
                            + FaultSize.ofBytes(align)
                            + ": a fault smaller than the alignment cannot be mapped; accepted: "
                            + FaultSize.ofBytes(align)
                            + " faults only");
        }
        if (size.bytes() > align) {
            throw ZoneDeviceException.invalid(
                    "SIGBUS: "
                            + size
                            + " fault on "
                            + name
                            + " is larger than its "
                            + FaultSize.ofBytes(align)
                            + " alignment allows (the kernel falls back); accepted: "
                            + FaultSize.ofBytes(align)
                            + " faults only");
        }
        if (offset < 0 || offset % size.bytes() != 0) {
            throw ZoneDeviceException.invalid(
                    String.format(
                            "SIGBUS: %s fault at offset %#x of %s is not aligned to"
                                    + " its size; accepted: multiples of %#x",
                            size, offset, name, size.bytes()));
        }
        if (offset > this.size - size.bytes()) {
            throw ZoneDeviceException.outOfRange(
                    String.format(
                            "SIGBUS: %s fault at offset %#x runs past the end of"
                                    + " %s (%#x bytes); accepted offsets: 0..%#x in steps of %#x",
                            size, offset, name, this.size, this.size - size.bytes(), size.bytes()));
        }
        long phys = physStart() + offset;
        if (phys % size.bytes() != 0) {
            throw ZoneDeviceException.invalid(
                    String.format(
                            "SIGBUS: %s at physical %#x is not %s aligned",
                            name, phys, size.text()));
        }
        Pfn pfn = Pfn.devMap(Pages.pfn(phys));
        region.pagemap().memmapSync(pfn.value(), size.pages());
        DaxMapping mapping = new DaxMapping(offset, pfn, size);
        mappings.put(offset, mapping);
        if (!enabled) {
            // disable() raced with this fault: take back what it may not have zapped
            mappings.remove(offset, mapping);
            checkEnabled("fault");
        }
        return mapping;
    }

    /** The mappings installed so far, by offset; a snapshot. */
    public List<DaxMapping> mappings() {
        return List.copyOf(mappings.values());
    }

    /** The mapping covering device byte {@code offset}, if a fault installed one. */
    public Optional<DaxMapping> mappingAt(long offset) {
        var e = mappings.floorEntry(offset);
        return e != null && e.getValue().end() > offset
                ? Optional.of(e.getValue())
                : Optional.empty();
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@link DirectAccess#availablePages()} is {@code nrPages}, shortened at the end of the
     * device; a pfn run never extends past the pages whose struct pages were initialized.
     */
    @Override
    public DirectAccess directAccess(long pgoff, long nrPages, boolean wantPfn) {
        checkEnabled("direct access");
        if (nrPages <= 0) {
            throw ZoneDeviceException.invalid(
                    name + ": direct access of " + nrPages + " pages; accepted: 1 or more");
        }
        long total = nrPages();
        if (pgoff < 0 || pgoff >= total) {
            throw ZoneDeviceException.outOfRange(
                    name
                            + ": page offset "
                            + pgoff
                            + " lies outside the device;"
                            + " accepted: 0.."
                            + (total - 1));
        }
        long available = Math.min(nrPages, total - pgoff);
        MemorySegment kaddr = data.asSlice(pgoff * Pages.PAGE_SIZE, available * Pages.PAGE_SIZE);
        if (!wantPfn) {
            return new DirectAccess(kaddr, available, Optional.empty());
        }
        long pfn = firstPfn + pgoff;
        region.pagemap().memmapSync(pfn, available);
        checkEnabled("direct access");
        return new DirectAccess(kaddr, available, Optional.of(Pfn.devMap(pfn)));
    }

    /** Disables the device and zaps its mappings; idempotent. */
    public void disable() {
        enabled = false;
        mappings.clear();
    }

    private void checkEnabled(String what) {
        if (!enabled) {
            throw ZoneDeviceException.noDevice(
                    (what.equals("fault") ? "SIGBUS: " : "")
                            + what
                            + " on "
                            + name
                            + ", which is disabled");
        }
    }
}
