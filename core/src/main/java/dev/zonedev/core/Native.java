package dev.zonedev.core;

import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The few Linux system calls the engine needs, bound through the FFM {@link Linker}:
 * {@code mmap}, {@code munmap}, {@code madvise}, {@code memfd_create}, {@code open},
 * {@code ftruncate}, {@code fsync}, {@code close}, {@code flock}, {@code lseek},
 * {@code posix_fallocate}. Every call is thread-safe; a failure
 * throws {@link ZoneDeviceException} with the errno and the call's arguments.
 */
final class Native {
    static final int PROT_NONE = 0;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final int MADV_HUGEPAGE = 14;
    static final int MADV_NOHUGEPAGE = 15;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_CLOEXEC = 02000000;
    static final int ENOENT = 2;
    static final int MFD_CLOEXEC = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final int ENXIO = 6;
    static final int EWOULDBLOCK = 11;
    private static final int ENOMEM = 12;
    static final int ENOSPC = 28;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final long STATE_SIZE = Linker.Option.captureStateLayout().byteSize();
    private static final VarHandle ERRNO_HANDLE = Linker.Option.captureStateLayout()
            .varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle MMAP = bind("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle MADVISE = bind("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle MSYNC = bind("msync", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle MEMFD_CREATE = bind("memfd_create", FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle FTRUNCATE = bind("ftruncate", FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle FSYNC = bind("fsync", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));

    private static final MethodHandle FLOCK = bind("flock", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle LSEEK = bind("lseek", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle POSIX_FALLOCATE = bind("posix_fallocate", FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

    private Native() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, ERRNO);
    }

    /** {@code mmap}; returns the mapped address. */
    static long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            MemorySegment result = (MemorySegment) MMAP.invokeExact(state, MemorySegment.ofAddress(addr),
                    length, prot, flags, fd, offset);
            if (result.address() == -1L) {
                throw failure("mmap(" + hex(addr) + ", " + length + ", prot=" + prot + ", flags=" + hex(flags)
                        + ", fd=" + fd + ", offset=" + offset + ")", errno(state));
            }
            return result.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code munmap}. */
    static void munmap(long addr, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            int rc = (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(addr), length);
            check(rc, state, "munmap(" + hex(addr) + ", " + length + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code madvise}; returns false when the kernel refused the advice. */
    static boolean madvise(long addr, long length, int advice) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            return (int) MADVISE.invokeExact(state, MemorySegment.ofAddress(addr), length, advice) >= 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code msync(MS_SYNC)}. */
    static void msync(long addr, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            int rc = (int) MSYNC.invokeExact(state, MemorySegment.ofAddress(addr), length, 4);
            check(rc, state, "msync(" + hex(addr) + ", " + length + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code memfd_create(name, MFD_CLOEXEC)}; returns the fd. */
    static int memfdCreate(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            MemorySegment cname = arena.allocateFrom(name, StandardCharsets.UTF_8);
            int fd = (int) MEMFD_CREATE.invokeExact(state, cname, MFD_CLOEXEC);
            return check(fd, state, "memfd_create(" + name + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code open(path, flags, 0644)}; returns the fd. */
    static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            MemorySegment cpath = arena.allocateFrom(path, StandardCharsets.UTF_8);
            int fd = (int) OPEN.invokeExact(state, cpath, flags | O_CLOEXEC, 0644);
            return check(fd, state, "open(" + path + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code ftruncate}. */
    static void ftruncate(int fd, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            check((int) FTRUNCATE.invokeExact(state, fd, length), state, "ftruncate(" + fd + ", " + length + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code fsync}. */
    static void fsync(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            check((int) FSYNC.invokeExact(state, fd), state, "fsync(" + fd + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code close}. */
    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            check((int) CLOSE.invokeExact(state, fd), state, "close(" + fd + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code flock(fd, operation)}; returns 0 on success or the errno (e.g.
     * {@link #EWOULDBLOCK} when {@code LOCK_NB} was given and another open file holds it).
     */
    static int flock(int fd, int operation) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            int rc = (int) FLOCK.invokeExact(state, fd, operation);
            return rc < 0 ? errno(state) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code lseek(fd, offset, whence)}; returns the new offset, or {@code -errno} (e.g.
     * {@code -ENXIO} for {@link #SEEK_DATA} past the last data).
     */
    static long lseek(int fd, long offset, int whence) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            long rc = (long) LSEEK.invokeExact(state, fd, offset, whence);
            return rc < 0 ? -errno(state) : rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code posix_fallocate(fd, offset, length)}; returns 0 or the error number it reports. */
    static int posixFallocate(int fd, long offset, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            return (int) POSIX_FALLOCATE.invokeExact(state, fd, offset, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code open(path, flags, 0644)}; returns the fd, or {@code -errno} instead of throwing. */
    static int tryOpen(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_SIZE);
            MemorySegment cpath = arena.allocateFrom(path, StandardCharsets.UTF_8);
            int fd = (int) OPEN.invokeExact(state, cpath, flags | O_CLOEXEC, 0644);
            return fd < 0 ? -errno(state) : fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("downcall failed", t);
    }

    private static int check(int rc, MemorySegment state, String call) {
        if (rc < 0) {
            throw failure(call, errno(state));
        }
        return rc;
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO_HANDLE.get(state, 0L);
    }

    private static ZoneDeviceException failure(String call, int errno) {
        String message = call + " failed with errno " + errno;
        return errno == ENOMEM ? ZoneDeviceException.outOfMemory(message) : ZoneDeviceException.ioError(message);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
