package dev.zonedev.driver.pmem;

import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.BadSectors;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.Pages;
import dev.zonedev.api.Pfn;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A pmem block device ({@code struct pmem_device}): the data pages of a namespace, from its data
 * offset on, with {@code direct_access} ({@code pmem_direct_access}).
 *
 * <p>An fsdax device has a pagemap: asking for a pfn initializes, through {@link
 * DevPagemap#memmapSync}, the struct pages of exactly the pages returned before returning. Not
 * asking never touches the pagemap, so it never waits for memmap initialization. A raw device has
 * no struct pages and refuses to hand out pfns.
 *
 * <p>Bad blocks ({@link #badblocks()}): an access whose first page holds a bad sector fails with
 * {@code IO_ERROR}; one that runs into a bad sector is shortened to the good pages before it.
 * Unlike the kernel, which returns the rest of the device when it has no bad blocks, {@link
 * DirectAccess#availablePages()} never exceeds the pages asked for, so that every page of a
 * returned pfn run has an initialized struct page.
 *
 * <p>Thread-safe: any number of threads may call {@link #directAccess} at once; after {@link
 * #disable()} every call fails with {@code NO_DEVICE}.
 */
public final class PmemDevice implements DaxDevice {
    private final String name;
    private final MemorySegment data;
    private final long nrPages;
    private final long firstPfn;
    private final Optional<DevPagemap> pagemap;
    private final Badblocks badblocks;
    private final Optional<Path> file;
    private volatile boolean enabled = true;

    /**
     * @param name device name, e.g. {@code pmem0}
     * @param data kernel-address view of the data pages (a whole number of pages)
     * @param firstPfn pfn of the first data page
     * @param pagemap the namespace's pagemap (fsdax), or empty (raw: no pfns)
     * @param badblocks bad sectors, counted from the first data byte
     * @param file the file behind {@code data}, or empty for anonymous memory
     */
    PmemDevice(
            String name,
            MemorySegment data,
            long firstPfn,
            Optional<DevPagemap> pagemap,
            Badblocks badblocks,
            Optional<Path> file) {
        this.file = Objects.requireNonNull(file, "file");
        this.name = Objects.requireNonNull(name, "name");
        this.data = Objects.requireNonNull(data, "data");
        this.nrPages = data.byteSize() / Pages.PAGE_SIZE;
        this.firstPfn = firstPfn;
        this.pagemap = Objects.requireNonNull(pagemap, "pagemap");
        this.badblocks = Objects.requireNonNull(badblocks, "badblocks");
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The file behind the device's storage, or empty for anonymous memory; named when a mapped
     * access faults.
     */
    public Optional<Path> file() {
        return file;
    }

    @Override
    public long nrPages() {
        return nrPages;
    }

    /** True when the device has struct pages and hands out pfns (fsdax). */
    @Override
    public boolean hasPfns() {
        return pagemap.isPresent();
    }

    /** The pfn of data page {@code pgoff} (whether or not its struct page is initialized). */
    public long pfnOf(long pgoff) {
        checkRange(pgoff, 1);
        return firstPfn + pgoff;
    }

    /** The device's bad sectors; change them at any time. */
    public Badblocks badblocks() {
        return badblocks;
    }

    /** {@link #badblocks()}, as the capability every driver may offer. */
    @Override
    public Optional<BadSectors> badSectors() {
        return Optional.of(badblocks);
    }

    /** True until {@link #disable()}. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ZoneDeviceException additionally {@link dev.zonedev.api.ErrorCode#INVALID} when a pfn
     *     is asked of a raw device
     */
    @Override
    public DirectAccess directAccess(long pgoff, long nrPages, boolean wantPfn) {
        checkEnabled();
        if (nrPages <= 0) {
            throw ZoneDeviceException.invalid(
                    name + ": direct access of " + nrPages + " pages; accepted: 1 or more");
        }
        checkRange(pgoff, 1);
        if (wantPfn && pagemap.isEmpty()) {
            throw ZoneDeviceException.invalid(
                    name
                            + " is a raw namespace without struct pages: it has no pfn for"
                            + " page "
                            + pgoff
                            + "; ask without a pfn, or bind the namespace as fsdax");
        }
        long available = goodPages(pgoff, Math.min(nrPages, this.nrPages - pgoff));
        MemorySegment kaddr = data.asSlice(pgoff * Pages.PAGE_SIZE, available * Pages.PAGE_SIZE);
        if (!wantPfn) {
            return new DirectAccess(kaddr, available, Optional.empty());
        }
        long pfn = firstPfn + pgoff;
        pagemap.get().memmapSync(pfn, available);
        checkEnabled();
        return new DirectAccess(kaddr, available, Optional.of(Pfn.devMap(pfn)));
    }

    /** Disables the device: later accesses fail with {@code NO_DEVICE}. Idempotent. */
    public void disable() {
        enabled = false;
    }

    private long goodPages(long pgoff, long count) {
        long sectorsPerPage = Pages.PAGE_SIZE / BadSectorRange.SECTOR_SIZE;
        long start = pgoff * sectorsPerPage;
        long bad = badblocks.firstBad(start, start + count * sectorsPerPage);
        if (bad < 0) {
            return count;
        }
        long good = (bad - start) / sectorsPerPage;
        if (good == 0) {
            throw ZoneDeviceException.ioError(
                    name
                            + ": page "
                            + pgoff
                            + " holds bad sector "
                            + bad
                            + "; the access starts on a bad block");
        }
        return good;
    }

    private void checkRange(long pgoff, long count) {
        if (pgoff < 0 || pgoff >= nrPages || count > nrPages - pgoff) {
            throw ZoneDeviceException.outOfRange(
                    name
                            + ": pages ["
                            + pgoff
                            + ", "
                            + pgoff
                            + "+"
                            + count
                            + ") lie outside the device; accepted: page offsets 0.."
                            + (nrPages - 1)
                            + " and at most "
                            + nrPages
                            + " pages in all");
        }
    }

    private void checkEnabled() {
        if (!enabled) {
            throw ZoneDeviceException.noDevice(name + " is disabled (its namespace was unbound)");
        }
    }
}
