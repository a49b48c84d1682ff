package dev.zonedev.core;

import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The real storage behind a device range: an anonymous {@code memfd} or a file, mapped shared so
 * that the kernel-address view and any altmap block mapped into the vmemmap see the same bytes. A
 * file is created sparse at the device size, or reopened as it is; an existing file is never
 * truncated. Thread-safe; {@link #close} unmaps and closes once.
 */
public final class DeviceMemory implements AutoCloseable {
    private final String name;
    private final PhysicalRange range;
    private final BackingFile file;
    private final int fd;
    private final long address;
    private final MemorySegment memory;
    private boolean closed;

    private DeviceMemory(String name, PhysicalRange range, BackingFile file, int fd) {
        this.name = name;
        this.range = range;
        this.file = file;
        this.fd = fd;
        try {
            this.address =
                    Native.mmap(
                            0,
                            range.size(),
                            Native.PROT_READ | Native.PROT_WRITE,
                            Native.MAP_SHARED | Native.MAP_NORESERVE,
                            fd,
                            0);
        } catch (RuntimeException e) {
            if (file == null) {
                Native.close(fd);
            }
            throw e;
        }
        this.memory = MemorySegment.ofAddress(address).reinterpret(range.size());
    }

    /** Device memory in anonymous RAM ({@code memfd}); its contents end with the process. */
    public static DeviceMemory anonymous(String name, PhysicalRange range) {
        int fd = Native.memfdCreate("zonedev-" + name);
        try {
            Native.ftruncate(fd, range.size());
        } catch (RuntimeException e) {
            Native.close(fd);
            throw e;
        }
        return new DeviceMemory(name, range, null, fd);
    }

    /**
     * Device memory in a file claimed with {@link BackingFile#claim}: mapped shared over the file's
     * descriptor. Closing this closes the file, which releases its lock.
     *
     * @throws ZoneDeviceException IO errors from the system; the file is then left claimed and the
     *     caller discards it
     */
    static DeviceMemory file(String name, PhysicalRange range, BackingFile file) {
        return new DeviceMemory(name, range, file, file.fd());
    }

    /**
     * Device memory in {@code path}, claimed for {@code name} as {@link Platform#create} does for a
     * namespace with an info block ({@link BackingFile#claim}, without force; nothing reserved):
     * created sparse or reopened, locked until {@link #close}.
     *
     * @throws ZoneDeviceException as {@link BackingFile#claim}, and IO errors from the system; a
     *     file this call created is removed again
     */
    public static DeviceMemory file(String name, PhysicalRange range, Path path) {
        BackingFile claimed = BackingFile.claim(name, path, range.size(), false, true);
        try {
            return file(name, range, claimed);
        } catch (RuntimeException e) {
            claimed.discard();
            throw e;
        }
    }

    /** The device name. */
    public String name() {
        return name;
    }

    /** The physical range this storage backs. */
    public PhysicalRange range() {
        return range;
    }

    /** Kernel-address view of the whole device. */
    public MemorySegment memory() {
        return memory;
    }

    /** True when backed by a file. */
    public boolean persistent() {
        return file != null;
    }

    /** The backing file, or empty for anonymous memory. */
    public Optional<Path> file() {
        return file == null ? Optional.empty() : Optional.of(file.path());
    }

    /** The file descriptor, for mapping altmap blocks into the vmemmap. */
    int fd() {
        return fd;
    }

    /** Offset in the storage of the page {@code pfn}. */
    long fileOffset(long pfn) {
        return Pages.physAddr(pfn) - range.start();
    }

    /**
     * Writes dirty pages to the file ({@code msync} + {@code fsync}); no-op for RAM.
     *
     * @throws ZoneDeviceException {@code EIO} naming the file when the system refuses
     */
    public synchronized void flush() {
        if (!closed && file != null) {
            try {
                Native.msync(address, range.size());
                Native.fsync(fd);
            } catch (ZoneDeviceException e) {
                throw new ZoneDeviceException(
                        e.code(),
                        name
                                + ": cannot write its data back to file "
                                + file.path()
                                + " ("
                                + e.getMessage()
                                + "): the filesystem is full or failing",
                        e);
            }
        }
    }

    /**
     * After {@link #close}: removes the backing file when this run created it (a failed create
     * leaves nothing).
     */
    void discardCreatedFile() {
        if (file != null) {
            file.discard();
        }
    }

    /**
     * Flushes, unmaps and closes (a file's lock goes with it), even when the flush fails;
     * idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (file != null) {
                Native.msync(address, range.size());
            }
        } finally {
            Native.munmap(address, range.size());
            if (file != null) {
                file.close();
            } else {
                Native.close(fd);
            }
        }
    }
}
