package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.PfnInfoBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A namespace's backing file, claimed for one owner: opened (created sparse when absent), locked
 * exclusively with {@code flock} for as long as it is open, and checked before anyone writes to it.
 *
 * <p><b>Ownership.</b> {@code flock} locks belong to an open file description, not to a process: a
 * second open of the same file is refused whether it comes from another process or from another
 * engine in this JVM, and closing some other descriptor of the file (a {@code zonedev list} reading
 * it, say) never drops the lock, as it would with {@code fcntl}/{@link java.nio.channels.FileLock}
 * locks. The kernel drops the lock when the owner closes the file or dies, so there is no stale
 * lock record to clean up; the holder's pid is read from the kernel's lock table when a claim is
 * refused.
 *
 * <p><b>Claiming existing data.</b> An existing file that is not empty (some byte is not zero), has
 * no zonedev info block at {@link PfnInfoBlock#OFFSET} and was not created by zonedev ({@link
 * CreatorMark}) is refused unless the caller forces it; the file is then left byte for byte as it
 * was ({@link ExistingFileCheck} has the rules).
 *
 * <p>Thread-safe: the static owner table is concurrent; an instance is used by the one namespace
 * that claimed it and {@link #close} is idempotent.
 */
final class BackingFile implements AutoCloseable {
    private static final Map<Object, String> OWNERS = new ConcurrentHashMap<>();

    private final String namespace;
    private final Path path;
    private final int fd;
    private final boolean created;
    private final Object key;
    private volatile boolean locked;
    private boolean closed;

    private BackingFile(String namespace, Path path, int fd, boolean created, Object key) {
        this.namespace = namespace;
        this.path = path;
        this.fd = fd;
        this.created = created;
        this.key = key;
    }

    /**
     * Opens {@code path} for namespace {@code namespace} of {@code size} bytes: creates it sparse
     * when absent, takes the exclusive lock, checks an existing file (long enough; no foreign data
     * unless {@code force}). {@code infoBlock} says the namespace keeps an info block at {@link
     * PfnInfoBlock#OFFSET} (fsdax, devdax) rather than data there (raw).
     *
     * @throws ZoneDeviceException {@link ErrorCode#BUSY} when another owner holds the file (naming
     *     its pid when the kernel tells it), {@link ErrorCode#EXISTS} for an existing file holding
     *     foreign data without {@code force}, {@link ErrorCode#INVALID} for an existing file
     *     shorter than {@code size}, {@link ErrorCode#IO_ERROR} when it cannot be opened. A refused
     *     existing file is left unchanged; a file this call created is removed again.
     */
    static BackingFile claim(
            String namespace, Path path, long size, boolean force, boolean infoBlock) {
        int fd = Native.tryOpen(path.toString(), Native.O_RDWR);
        boolean created = false;
        if (fd == -Native.ENOENT) {
            fd = Native.tryOpen(path.toString(), Native.O_RDWR | Native.O_CREAT | Native.O_EXCL);
            created = fd >= 0;
        }
        if (fd < 0) {
            throw ZoneDeviceException.ioError(
                    "namespace "
                            + namespace
                            + ": cannot open file "
                            + path
                            + " (errno "
                            + -fd
                            + "); accepted: a regular file in an existing, writable directory");
        }
        BackingFile file = new BackingFile(namespace, path, fd, created, fileKey(path, fd));
        try {
            file.lock();
            if (created) {
                Native.ftruncate(fd, size);
                CreatorMark.write(path, namespace);
            } else {
                ExistingFileCheck.check(namespace, path, fd, size, force, infoBlock);
            }
            return file;
        } catch (RuntimeException e) {
            file.discard();
            throw e;
        }
    }

    private void lock() {
        int rc = Native.flock(fd, Native.LOCK_EX | Native.LOCK_NB);
        if (rc == 0) {
            locked = true;
            OWNERS.put(key, namespace);
            return;
        }
        if (rc != Native.EWOULDBLOCK) {
            throw ZoneDeviceException.ioError(
                    "namespace "
                            + namespace
                            + ": cannot lock file "
                            + path
                            + " (flock errno "
                            + rc
                            + ")");
        }
        throw ZoneDeviceException.busy(
                "namespace "
                        + namespace
                        + ": file "
                        + path
                        + " is bound by "
                        + holder()
                        + "; a namespace's file has one owner: destroy the namespace there (or stop that process),"
                        + " or back this namespace with another file");
    }

    private String holder() {
        OptionalLong pid = FileLockHolder.pidOf(path);
        String here = OWNERS.get(key);
        long self = ProcessHandle.current().pid();
        if (pid.isPresent() && pid.getAsLong() == self || pid.isEmpty() && here != null) {
            return "namespace "
                    + (here == null ? "?" : here)
                    + " of this process (pid "
                    + self
                    + ")";
        }
        return pid.isPresent()
                ? "another process, pid " + pid.getAsLong()
                : "another owner (its pid is not known: /proc/locks does not list it)";
    }

    /**
     * Allocates storage for bytes {@code [0, length)} ({@code posix_fallocate}), so writes there
     * can never fault for want of space. Changes no byte of the file.
     *
     * @throws ZoneDeviceException {@link ErrorCode#NO_SPACE} naming the file, the bytes needed and
     *     the space free; {@link ErrorCode#IO_ERROR} for other failures
     */
    void reserve(long length, String what) {
        if (length <= 0) {
            return;
        }
        int rc = Native.posixFallocate(fd, 0, length);
        if (rc == Native.ENOSPC) {
            throw new ZoneDeviceException(
                    ErrorCode.NO_SPACE,
                    "namespace "
                            + namespace
                            + ": no space for "
                            + what
                            + " in file "
                            + path
                            + ": it needs "
                            + length
                            + " bytes allocated, the filesystem has "
                            + StorageSpace.usableBytes(path)
                            + " bytes free; free some space or put the file elsewhere"
                            + (created
                                    ? "; the file was removed"
                                    : "; the file's contents were left as they were"));
        }
        if (rc != 0) {
            throw ZoneDeviceException.ioError(
                    "namespace "
                            + namespace
                            + ": cannot allocate "
                            + length
                            + " bytes for "
                            + what
                            + " in file "
                            + path
                            + " (posix_fallocate error "
                            + rc
                            + ")");
        }
    }

    /** The file. */
    Path path() {
        return path;
    }

    /** The open descriptor; valid until {@link #close}. */
    int fd() {
        return fd;
    }

    /** True when this claim created the file. */
    boolean created() {
        return created;
    }

    /**
     * Closes the file (which releases the lock) and removes it when this claim created it and held
     * its lock (a file another owner locked first is theirs, even if this claim created it).
     */
    void discard() {
        close();
        if (created && locked) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // best effort: the file was created by this claim and holds nothing of the user's
            }
        }
    }

    /** Releases the lock and closes the descriptor; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OWNERS.remove(key, namespace);
        Native.close(fd);
    }

    private static Object fileKey(Path path, int fd) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            Native.close(fd); // a file created here stays: it cannot be told apart from one created
            // meanwhile
            throw new ZoneDeviceException(ErrorCode.IO_ERROR, "cannot stat " + path + ": " + e, e);
        }
    }
}
