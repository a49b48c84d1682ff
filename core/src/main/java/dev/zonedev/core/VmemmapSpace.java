package dev.zonedev.core;

import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;

/**
 * The virtual memmap: one reserved, 2 MiB aligned virtual range holding a 64-byte struct page for
 * every pfn below the platform's maximum physical address, so that {@code pfn_to_page} is {@code
 * base + pfn * 64}. The range starts inaccessible ({@code PROT_NONE}, no memory committed); {@link
 * #mapRam} and {@link #mapDevice} back blocks of it with real memory, {@link #unmap} returns a
 * block to the reserved state.
 *
 * <p>Thread-safe: mappings of disjoint blocks may change concurrently. Touching a struct page whose
 * block is not mapped crashes the process, so callers populate first and unmap only once no thread
 * can reach the block.
 */
final class VmemmapSpace implements AutoCloseable {
    private final long reservedAddress;
    private final long reservedBytes;
    private final long base;
    private final MemorySegment memmap;
    private volatile boolean closed;

    /**
     * Reserves the memmap for physical addresses below {@code maxPhysicalBytes}.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#OUT_OF_MEMORY} when the address
     *     space cannot be reserved
     */
    VmemmapSpace(long maxPhysicalBytes) {
        long bytes = Pages.memmapBytes(Pages.pfn(maxPhysicalBytes));
        this.reservedBytes = bytes + Pages.PMD_SIZE;
        this.reservedAddress =
                Native.mmap(
                        0,
                        reservedBytes,
                        Native.PROT_NONE,
                        Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_NORESERVE,
                        -1,
                        0);
        this.base = (reservedAddress + Pages.PMD_SIZE - 1) & -Pages.PMD_SIZE;
        this.memmap = MemorySegment.ofAddress(base).reinterpret(bytes);
    }

    /** The whole memmap as one segment; struct page of pfn at offset {@code pfn << 6}. */
    MemorySegment memmap() {
        return memmap;
    }

    /** Memmap offset of the struct page of {@code pfn}. */
    static long offsetOf(long pfn) {
        return pfn << Pages.STRUCT_PAGE_SHIFT;
    }

    /**
     * Backs {@code [offset, offset + length)} with fresh zeroed RAM; with {@code huge}, in
     * transparent huge pages, otherwise in base pages. The pages are allocated on first touch, by
     * whoever initializes the struct pages: pre-faulting here ({@code MADV_POPULATE_WRITE}) was
     * measured to hold the address-space lock long enough to triple the first-pfn latency of
     * foreground callers racing the background population (BENCHMARKS.md).
     */
    void mapRam(long offset, long length, boolean huge) {
        long addr = address(offset, length);
        Native.mmap(
                addr,
                length,
                Native.PROT_READ | Native.PROT_WRITE,
                Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_FIXED | Native.MAP_NORESERVE,
                -1,
                0);
        Native.madvise(addr, length, huge ? Native.MADV_HUGEPAGE : Native.MADV_NOHUGEPAGE);
    }

    /** Backs {@code [offset, offset + length)} with the device's own storage (an altmap block). */
    void mapDevice(long offset, long length, int fd, long fileOffset) {
        long addr = address(offset, length);
        Native.mmap(
                addr,
                length,
                Native.PROT_READ | Native.PROT_WRITE,
                Native.MAP_SHARED | Native.MAP_FIXED,
                fd,
                fileOffset);
    }

    /** Returns {@code [offset, offset + length)} to the reserved, inaccessible state. */
    void unmap(long offset, long length) {
        long addr = address(offset, length);
        Native.mmap(
                addr,
                length,
                Native.PROT_NONE,
                Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_FIXED | Native.MAP_NORESERVE,
                -1,
                0);
    }

    private long address(long offset, long length) {
        if (closed) {
            throw ZoneDeviceException.noDevice("the vmemmap was released");
        }
        if (offset < 0
                || length <= 0
                || (offset & (Pages.PAGE_SIZE - 1)) != 0
                || (length & (Pages.PAGE_SIZE - 1)) != 0
                || offset + length > memmap.byteSize()) {
            throw new IllegalArgumentException(
                    "vmemmap block ["
                            + offset
                            + ", +"
                            + length
                            + ") is not page aligned inside [0, "
                            + memmap.byteSize()
                            + ")");
        }
        return base + offset;
    }

    /** Releases the whole reservation; every pagemap must be torn down first. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.munmap(reservedAddress, reservedBytes);
        }
    }
}
