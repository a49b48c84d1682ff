package dev.zonedev.api;

/** The seed's error codes, each with the kernel's errno name for messages and reports. */
public enum ErrorCode {
    /** The operation cannot be done asynchronously here; retry it synchronously. */
    WOULD_BLOCK("EWOULDBLOCK"),
    /** An argument is malformed: misaligned, zero, negative, or inconsistent. */
    INVALID("EINVAL"),
    /** A page-table level, a vmemmap block or an altmap block could not be allocated. */
    OUT_OF_MEMORY("ENOMEM"),
    /** The media failed: a bad block, a corrupt info block, a file that cannot be read. */
    IO_ERROR("EIO"),
    /** The device is gone, disabled or being torn down. */
    NO_DEVICE("ENODEV"),
    /** The range or name is already present. */
    EXISTS("EEXIST"),
    /** The device is in use and cannot change now. */
    BUSY("EBUSY"),
    /** An offset or length lies outside the device. */
    OUT_OF_RANGE("ERANGE"),
    /** The caller was interrupted while waiting. */
    INTERRUPTED("EINTR"),
    /** The filesystem holding a namespace's backing file has no room for what must be stored. */
    NO_SPACE("ENOSPC");

    private final String errno;

    ErrorCode(String errno) {
        this.errno = errno;
    }

    /** The kernel errno name, e.g. {@code EWOULDBLOCK}. */
    public String errno() {
        return errno;
    }
}
