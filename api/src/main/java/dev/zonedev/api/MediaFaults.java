package dev.zonedev.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a fault in an access to a namespace's mapped storage into a clear error. When a write to a
 * mapped sparse file finds its filesystem full (or the disk fails), the kernel sends {@code
 * SIGBUS}; the JVM turns that into an {@link InternalError} ("a fault occurred in an unsafe memory
 * access operation") in the accessing thread. Code that copies through a kernel-address view
 * catches that error and throws {@link #fault} instead. Stateless and thread-safe.
 */
public final class MediaFaults {
    private MediaFaults() {}

    /** True when {@code error} is the JVM's report of a fault while accessing mapped memory. */
    public static boolean isMappedMemoryFault(Throwable error) {
        return error instanceof InternalError
                && error.getMessage() != null
                && error.getMessage().contains("unsafe memory access");
    }

    /**
     * The error for a fault while accessing bytes {@code [offset, offset + length)} of device
     * {@code device}, whose storage is {@code file} (empty for anonymous memory): {@link
     * ErrorCode#NO_SPACE} when the file's filesystem has less than a page free, else {@link
     * ErrorCode#IO_ERROR}; the message names the device, the bytes and the file.
     */
    public static ZoneDeviceException fault(
            String device, Optional<Path> file, long offset, long length, Throwable cause) {
        String where = device + ": access to bytes [" + offset + ", " + (offset + length) + ")";
        if (file.isEmpty()) {
            return new ZoneDeviceException(
                    ErrorCode.IO_ERROR, where + " faulted in its memory", cause);
        }
        long free = usableBytes(file.get());
        if (free >= 0 && free < Pages.PAGE_SIZE) {
            return new ZoneDeviceException(
                    ErrorCode.NO_SPACE,
                    where
                            + " faulted: the filesystem holding "
                            + file.get()
                            + " is full ("
                            + free
                            + " bytes free), so a page of the sparse file could not be"
                            + " allocated; bytes written before it are kept; free some space and retry",
                    cause);
        }
        return new ZoneDeviceException(
                ErrorCode.IO_ERROR,
                where
                        + " faulted: the file "
                        + file.get()
                        + " could not be read or written (I/O error, or it was truncated)",
                cause);
    }

    private static long usableBytes(Path file) {
        try {
            return Files.getFileStore(file).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }
}
