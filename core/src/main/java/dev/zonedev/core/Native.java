package dev.zonedev.core;

import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The few Linux system calls the engine needs, bound through the FFM {@link Linker}: {@code mmap},
 * {@code munmap}, {@code madvise}, {@code memfd_create}, {@code open}, {@code ftruncate}, {@code
 * fsync}, {@code close}, {@code flock}, {@code lseek}, {@code posix_fallocate}, and for NUMA
 * placement {@code sched_setaffinity}, {@code sched_getaffinity}, {@code sched_getcpu} and {@code
 * mbind} (a raw system call: the C library does not export it). Every call is thread-safe; a
 * failure throws {@link ZoneDeviceException} with the errno and the call's arguments.
 *
 * <p>Each function is linked on its first call, through a holder class of its own: linking a
 * downcall costs 4–10 ms per new signature (40–60 ms for the first), so a run that keeps its
 * namespaces in RAM links only {@code mmap}, {@code madvise} and {@code munmap}.
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
    static final int EFBIG = 27;
    static final int ENOSPC = 28;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final long STATE_SIZE = Linker.Option.captureStateLayout().byteSize();

    /**
     * Each thread's captured call state, written by a downcall and read right after it by the same
     * thread (nothing calls back in between), so one segment a thread serves every call.
     */
    private static final ThreadLocal<MemorySegment> CALL_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE_SIZE));

    private static final VarHandle ERRNO_HANDLE =
            Linker.Option.captureStateLayout()
                    .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code mmap}, linked on first use. */
    private static final class Mmap {
        static final MethodHandle H =
                bind(
                        "mmap",
                        FunctionDescriptor.of(
                                ValueLayout.ADDRESS,
                                ValueLayout.ADDRESS,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG));
    }

    /** {@code munmap}, linked on first use. */
    private static final class Munmap {
        static final MethodHandle H =
                bind(
                        "munmap",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    /** {@code madvise}, linked on first use. */
    private static final class Madvise {
        static final MethodHandle H =
                bind(
                        "madvise",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_INT,
                                ValueLayout.ADDRESS,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT));
    }

    /** {@code msync}, linked on first use. */
    private static final class Msync {
        static final MethodHandle H =
                bind(
                        "msync",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_INT,
                                ValueLayout.ADDRESS,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT));
    }

    /**
     * The {@code memfd_create} downcall, linked on first use (a holder class: a run links only what
     * it calls).
     */
    private static final class MemfdCreate {
        static final MethodHandle H =
                bind(
                        "memfd_create",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    /** {@code open}, linked on first use. */
    private static final class Open {
        static final MethodHandle H =
                bind(
                        "open",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_INT,
                                ValueLayout.ADDRESS,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT));
    }

    /** {@code ftruncate}, linked on first use. */
    private static final class Ftruncate {
        static final MethodHandle H =
                bind(
                        "ftruncate",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    }

    /** {@code fsync}, linked on first use. */
    private static final class Fsync {
        static final MethodHandle H =
                bind("fsync", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** {@code close}, linked on first use. */
    private static final class Close {
        static final MethodHandle H =
                bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** {@code flock}, linked on first use. */
    private static final class Flock {
        static final MethodHandle H =
                bind(
                        "flock",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** {@code lseek}, linked on first use. */
    private static final class Lseek {
        static final MethodHandle H =
                bind(
                        "lseek",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT));
    }

    /**
     * The {@code posix_fallocate} downcall, linked on first use (a holder class: a run links only
     * what it calls).
     */
    private static final class PosixFallocate {
        static final MethodHandle H =
                bind(
                        "posix_fallocate",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG));
    }

    /**
     * The {@code sched_setaffinity} downcall, linked on first use (a holder class: a run links only
     * what it calls).
     */
    private static final class SchedSetaffinity {
        static final MethodHandle H =
                bind(
                        "sched_setaffinity",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.ADDRESS));
    }

    /**
     * The {@code sched_getaffinity} downcall, linked on first use (a holder class: a run links only
     * what it calls).
     */
    private static final class SchedGetaffinity {
        static final MethodHandle H =
                bind(
                        "sched_getaffinity",
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.ADDRESS));
    }

    /**
     * The {@code sched_getcpu} downcall, linked on first use (a holder class: a run links only what
     * it calls).
     */
    private static final class SchedGetcpu {
        static final MethodHandle H =
                bind("sched_getcpu", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }

    /** {@code syscall(SYS_mbind, ...)}, linked on first use. */
    private static final class SyscallMbind {
        /** {@code syscall(SYS_mbind, addr, len, mode, nodemask, maxnode, flags)}; variadic. */
        static final MethodHandle H =
                LINKER.downcallHandle(
                        LIBC.find("syscall")
                                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no syscall")),
                        FunctionDescriptor.of(
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.ADDRESS,
                                ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG),
                        Linker.Option.firstVariadicArg(1),
                        ERRNO);
    }

    /** x86_64's {@code __NR_mbind}. */
    static final long SYS_MBIND = 237;

    /** {@code MPOL_BIND}. */
    static final int MPOL_BIND = 2;

    private Native() {}

    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol =
                LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, ERRNO);
    }

    /** {@code mmap}; returns the mapped address. */
    static long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        return call(
                state ->
                        ((MemorySegment)
                                        Mmap.H.invokeExact(
                                                state,
                                                MemorySegment.ofAddress(addr),
                                                length,
                                                prot,
                                                flags,
                                                fd,
                                                offset))
                                .address(),
                () ->
                        "mmap("
                                + hex(addr)
                                + ", "
                                + length
                                + ", prot="
                                + prot
                                + ", flags="
                                + hex(flags)
                                + ", fd="
                                + fd
                                + ", offset="
                                + offset
                                + ")");
    }

    /** {@code munmap}. */
    static void munmap(long addr, long length) {
        call(
                state -> (int) Munmap.H.invokeExact(state, MemorySegment.ofAddress(addr), length),
                () -> "munmap(" + hex(addr) + ", " + length + ")");
    }

    /** {@code madvise}; returns false when the kernel refused the advice. */
    static boolean madvise(long addr, long length, int advice) {
        return call(
                        state ->
                                (int)
                                        Madvise.H.invokeExact(
                                                state,
                                                MemorySegment.ofAddress(addr),
                                                length,
                                                advice))
                >= 0;
    }

    /** {@code msync(MS_SYNC)}. */
    static void msync(long addr, long length) {
        call(
                state -> (int) Msync.H.invokeExact(state, MemorySegment.ofAddress(addr), length, 4),
                () -> "msync(" + hex(addr) + ", " + length + ")");
    }

    /** {@code memfd_create(name, MFD_CLOEXEC)}; returns the fd. */
    static int memfdCreate(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name, StandardCharsets.UTF_8);
            return (int)
                    call(
                            state -> (int) MemfdCreate.H.invokeExact(state, cname, MFD_CLOEXEC),
                            () -> "memfd_create(" + name + ")");
        }
    }

    /** {@code open(path, flags, 0644)}; returns the fd. */
    static int open(String path, int flags) {
        return open(path, flags, () -> "open(" + path + ")");
    }

    /** {@code ftruncate}. */
    static void ftruncate(int fd, long length) {
        call(
                state -> (int) Ftruncate.H.invokeExact(state, fd, length),
                () -> "ftruncate(" + fd + ", " + length + ")");
    }

    /** {@code fsync}. */
    static void fsync(int fd) {
        call(state -> (int) Fsync.H.invokeExact(state, fd), () -> "fsync(" + fd + ")");
    }

    /** {@code close}. */
    static void close(int fd) {
        call(state -> (int) Close.H.invokeExact(state, fd), () -> "close(" + fd + ")");
    }

    /**
     * {@code flock(fd, operation)}; returns 0 on success or the errno (e.g. {@link #EWOULDBLOCK}
     * when {@code LOCK_NB} was given and another open file holds it).
     */
    static int flock(int fd, int operation) {
        return (int) -call(state -> (int) Flock.H.invokeExact(state, fd, operation) < 0 ? -1 : 0);
    }

    /**
     * {@code lseek(fd, offset, whence)}; returns the new offset, or {@code -errno} (e.g. {@code
     * -ENXIO} for {@link #SEEK_DATA} past the last data).
     */
    static long lseek(int fd, long offset, int whence) {
        return call(state -> (long) Lseek.H.invokeExact(state, fd, offset, whence));
    }

    /** {@code posix_fallocate(fd, offset, length)}; returns 0 or the error number it reports. */
    static int posixFallocate(int fd, long offset, long length) {
        return (int) call(state -> (int) PosixFallocate.H.invokeExact(state, fd, offset, length));
    }

    /**
     * {@code sched_setaffinity(0, ...)}: the calling thread may run only on the CPUs set in {@code
     * mask} (one bit per CPU, 64 per word).
     */
    static void schedSetaffinity(long[] mask) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocateFrom(ValueLayout.JAVA_LONG, mask);
            call(
                    state -> (int) SchedSetaffinity.H.invokeExact(state, 0, m.byteSize(), m),
                    () -> "sched_setaffinity(0, " + java.util.Arrays.toString(mask) + ")");
        }
    }

    /** {@code sched_getaffinity(0, ...)}: the calling thread's CPUs, {@code words} × 64 of them. */
    static long[] schedGetaffinity(int words) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(ValueLayout.JAVA_LONG, words);
            call(
                    state -> (int) SchedGetaffinity.H.invokeExact(state, 0, m.byteSize(), m),
                    () -> "sched_getaffinity(0, " + words + " words)");
            return m.toArray(ValueLayout.JAVA_LONG);
        }
    }

    /** {@code sched_getcpu()}: the CPU the calling thread runs on now, or -1. */
    static int schedGetcpu() {
        return (int) call(state -> (int) SchedGetcpu.H.invokeExact(state));
    }

    /**
     * {@code mbind(addr, length, MPOL_BIND, nodemask, maxnode, 0)}: the pages of the range come
     * from the nodes in {@code nodemask}.
     */
    static void mbind(long addr, long length, long[] nodemask) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocateFrom(ValueLayout.JAVA_LONG, nodemask);
            long maxnode = 64L * nodemask.length + 1;
            call(
                    state ->
                            (long)
                                    SyscallMbind.H.invokeExact(
                                            state,
                                            SYS_MBIND,
                                            addr,
                                            length,
                                            (long) MPOL_BIND,
                                            m,
                                            maxnode,
                                            0L),
                    () -> "mbind(" + hex(addr) + ", " + length + ", MPOL_BIND)");
        }
    }

    /** {@code open(path, flags, 0644)}; returns the fd, or {@code -errno} instead of throwing. */
    static int tryOpen(String path, int flags) {
        return open(path, flags, null);
    }

    /** {@code open(path, flags | O_CLOEXEC, 0644)} through {@link #call(Downcall, Described)}. */
    private static int open(String path, int flags, Described what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path, StandardCharsets.UTF_8);
            return (int)
                    call(
                            state ->
                                    (int) Open.H.invokeExact(state, cpath, flags | O_CLOEXEC, 0644),
                            what);
        }
    }

    /** One downcall through a bound handle: what the function returned, widened to {@code long}. */
    @FunctionalInterface
    private interface Downcall {
        /** Invokes the handle with {@code state} as its captured call state. */
        long invoke(MemorySegment state) throws Throwable;
    }

    /** The call and its arguments as the failure message names them; built only on failure. */
    @FunctionalInterface
    private interface Described {
        String call();
    }

    /**
     * {@link #call(Downcall, Described)} that returns {@code -errno} on failure instead of
     * throwing.
     */
    private static long call(Downcall downcall) {
        return call(downcall, null);
    }

    /**
     * The errno shell around every downcall: invokes {@code downcall} with this thread's
     * captured-state segment and returns its result when it is not negative. On a negative result
     * (the libc failure value; no mapped address is negative) it reads errno from the captured
     * state and throws {@link #failure} naming {@code what}, or, when {@code what} is null, returns
     * {@code -errno}. Any other throwable is rethrown as by {@link #rethrow}.
     */
    private static long call(Downcall downcall, Described what) {
        MemorySegment state = CALL_STATE.get();
        try {
            long rc = downcall.invoke(state);
            if (rc >= 0) {
                return rc;
            }
            if (what == null) {
                return -errno(state);
            }
            throw failure(what.call(), errno(state));
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

    private static int errno(MemorySegment state) {
        return (int) ERRNO_HANDLE.get(state, 0L);
    }

    private static ZoneDeviceException failure(String call, int errno) {
        String message =
                call
                        + " failed with errno "
                        + errno
                        + (errno == EFBIG
                                ? " (EFBIG: larger than the largest file the filesystem holds;"
                                        + " ext4 with 4 KiB blocks: 16 TiB less 4 KiB)"
                                : "");
        return errno == ENOMEM
                ? ZoneDeviceException.outOfMemory(message)
                : ZoneDeviceException.ioError(message);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
