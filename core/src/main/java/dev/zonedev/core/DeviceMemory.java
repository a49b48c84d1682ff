package dev.zonedev.core;

import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real storage behind a device range: an anonymous {@code memfd} or a file, mapped
 * shared so that the kernel-address view and any altmap block mapped into the vmemmap see
 * the same bytes. A file is created sparse at the device size, or reopened as it is; an
 * existing file is never truncated. Thread-safe; {@link #close} unmaps and closes once.
 */
public final class DeviceMemory implements AutoCloseable {
    private final String name;
    private final PhysicalRange range;
    private final Path file;
    private final int fd;
    private final long address;
    private final MemorySegment memory;
    private boolean closed;

    private DeviceMemory(String name, PhysicalRange range, Path file, int fd) {
        this.name = name;
        this.range = range;
        this.file = file;
        this.fd = fd;
        try {
            this.address = Native.mmap(0, range.size(), Native.PROT_READ | Native.PROT_WRITE,
                    Native.MAP_SHARED | Native.MAP_NORESERVE, fd, 0);
        } catch (RuntimeException e) {
            Native.close(fd);
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
     * Device memory in a file: created sparse when absent, reopened when present.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} when an existing
     *     file is shorter than the range (it is left untouched), IO errors from the system
     */
    public static DeviceMemory file(String name, PhysicalRange range, Path path) {
        try {
            if (Files.exists(path) && Files.size(path) < range.size()) {
                throw ZoneDeviceException.invalid("file " + path + " holds " + Files.size(path)
                        + " bytes, less than the " + range.size() + " bytes of " + name + "; it was left untouched");
            }
        } catch (java.io.IOException e) {
            throw new ZoneDeviceException(dev.zonedev.api.ErrorCode.IO_ERROR, "cannot read " + path + ": " + e, e);
        }
        int fd = Native.open(path.toString(), Native.O_RDWR | Native.O_CREAT);
        try {
            if (sizeOf(path) < range.size()) {
                Native.ftruncate(fd, range.size());
            }
        } catch (RuntimeException e) {
            Native.close(fd);
            throw e;
        }
        return new DeviceMemory(name, range, path, fd);
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (java.io.IOException e) {
            throw new ZoneDeviceException(dev.zonedev.api.ErrorCode.IO_ERROR, "cannot stat " + path + ": " + e, e);
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

    /** The file descriptor, for mapping altmap blocks into the vmemmap. */
    int fd() {
        return fd;
    }

    /** Offset in the storage of the page {@code pfn}. */
    long fileOffset(long pfn) {
        return Pages.physAddr(pfn) - range.start();
    }

    /** Writes dirty pages to the file ({@code msync} + {@code fsync}); no-op for RAM. */
    public synchronized void flush() {
        if (!closed && file != null) {
            Native.msync(address, range.size());
            Native.fsync(fd);
        }
    }

    /** Flushes, unmaps and closes; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (file != null) {
            Native.msync(address, range.size());
        }
        closed = true;
        Native.munmap(address, range.size());
        Native.close(fd);
    }
}
