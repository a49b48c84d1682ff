package dev.zonedev.driver.pmem;

import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.MediaFaults;
import dev.zonedev.api.Pages;
import dev.zonedev.api.Pfn;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What a dax filesystem does with a pmem device ({@code fs/dax.c} and {@code
 * __bdev_dax_supported}): read, write and zero byte ranges through the kernel-address view, never
 * asking for a pfn, so they never wait for memmap initialization; and the mount-time "is dax
 * supported" check, which asks for and validates a pfn only in debug mode ({@code
 * CONFIG_DAX_DRIVER_DEBUG}, here the system property {@value #DEBUG_PROPERTY} or the constructor
 * flag).
 *
 * <p>Thread-safe as far as the device is: concurrent calls on disjoint ranges are independent;
 * overlapping writes race as plain memory writes do.
 */
public final class FsDax {
    /** System property that turns on pfn validation at mount ({@code DAX_DRIVER_DEBUG}). */
    public static final String DEBUG_PROPERTY = "zonedev.dax.debug";

    private final PmemDevice device;
    private final boolean debug;

    /** Helpers over {@code device}, in debug mode when {@value #DEBUG_PROPERTY} is {@code true}. */
    public FsDax(PmemDevice device) {
        this(device, Boolean.getBoolean(DEBUG_PROPERTY));
    }

    /** Helpers over {@code device}; {@code debug} asks for and validates a pfn at mount. */
    public FsDax(PmemDevice device, boolean debug) {
        this.device = Objects.requireNonNull(device, "device");
        this.debug = debug;
    }

    /** True when the mount check asks for a pfn. */
    public boolean debug() {
        return debug;
    }

    /** Device size in bytes. */
    public long size() {
        return device.nrPages() * Pages.PAGE_SIZE;
    }

    /**
     * Copies {@code dst.byteSize()} bytes from device offset {@code pos} into {@code dst} ({@code
     * dax_iomap_actor}, read side).
     *
     * @throws ZoneDeviceException {@code OUT_OF_RANGE} for bytes outside the device, {@code
     *     IO_ERROR} on a bad block (bytes before it are copied), {@code NO_DEVICE} after the device
     *     was disabled
     */
    public void read(long pos, MemorySegment dst) {
        transfer(
                pos,
                dst.byteSize(),
                (kaddr, done, len) -> MemorySegment.copy(kaddr, 0, dst, done, len));
    }

    /**
     * Reads {@code length} bytes from {@code pos}; errors as {@link #read(long, MemorySegment)}.
     */
    public byte[] read(long pos, int length) {
        if (length < 0) {
            throw outside(pos, length, "a length of 0 or more within [0, " + size() + ")");
        }
        byte[] out = new byte[length];
        read(pos, MemorySegment.ofArray(out));
        return out;
    }

    /**
     * Copies {@code src} to device offset {@code pos} ({@code dax_iomap_actor}, write side).
     *
     * @throws ZoneDeviceException as {@link #read(long, MemorySegment)}
     */
    public void write(long pos, MemorySegment src) {
        transfer(
                pos,
                src.byteSize(),
                (kaddr, done, len) -> MemorySegment.copy(src, done, kaddr, 0, len));
    }

    /** Writes {@code bytes} at {@code pos}; errors as {@link #write(long, MemorySegment)}. */
    public void write(long pos, byte[] bytes) {
        write(pos, MemorySegment.ofArray(bytes));
    }

    /**
     * Writes zeros to {@code [pos, pos + length)} ({@code __dax_zero_page_range}).
     *
     * @throws ZoneDeviceException as {@link #read(long, MemorySegment)}
     */
    public void zero(long pos, long length) {
        transfer(pos, length, (kaddr, done, len) -> kaddr.asSlice(0, len).fill((byte) 0));
    }

    /**
     * The mount-time check ({@code __bdev_dax_supported}): the block size must be a page, and page
     * 0 must be directly accessible. In debug mode a pfn is asked for and must be a device pfn with
     * a struct page ({@code DEV|MAP}) equal to the device's first data pfn; otherwise no pfn is
     * asked for and the memmap is left to the background.
     *
     * @throws ZoneDeviceException {@code INVALID} naming why dax is not supported, or the access's
     *     own error
     */
    public void checkDaxSupported(int blocksize) {
        if (blocksize != Pages.PAGE_SIZE) {
            throw ZoneDeviceException.invalid(
                    device.name()
                            + ": dax needs a block size of "
                            + Pages.PAGE_SIZE
                            + ", not "
                            + blocksize);
        }
        DirectAccess access = device.directAccess(0, 1, debug);
        if (!debug) {
            return;
        }
        Pfn pfn =
                access.pfn()
                        .orElseThrow(
                                () ->
                                        ZoneDeviceException.invalid(
                                                device.name()
                                                        + ": direct access returned no pfn although one was asked for"));
        if ((pfn.flags() & (Pfn.DEV | Pfn.MAP)) != (Pfn.DEV | Pfn.MAP)) {
            throw ZoneDeviceException.invalid(
                    device.name()
                            + ": dax support not enabled: "
                            + pfn
                            + " lacks the dev and map flags a dax filesystem needs");
        }
        long expected = device.pfnOf(0);
        if (pfn.value() != expected) {
            throw ZoneDeviceException.invalid(
                    String.format(
                            "%s: dax support not enabled: page 0 has %s, expected" + " pfn %#x",
                            device.name(), pfn, expected));
        }
    }

    /** {@link #checkDaxSupported} as a yes/no answer, as the kernel returns it. */
    public boolean daxSupported(int blocksize) {
        try {
            checkDaxSupported(blocksize);
            return true;
        } catch (ZoneDeviceException e) {
            return false;
        }
    }

    private interface Chunk {
        void copy(MemorySegment kaddr, long done, long length);
    }

    /**
     * One chunk; a fault of the mapped storage (full filesystem, I/O error) becomes ENOSPC or EIO.
     */
    private void copy(Chunk chunk, MemorySegment kaddr, long done, long len, long at) {
        try {
            chunk.copy(kaddr, done, len);
        } catch (InternalError e) {
            if (MediaFaults.isMappedMemoryFault(e)) {
                throw MediaFaults.fault(device.name(), device.file(), at, len, e);
            }
            throw e;
        }
    }

    /** ERANGE for bytes {@code [pos, pos+length)}, naming the device and what it accepts. */
    private ZoneDeviceException outside(long pos, long length, String accepted) {
        return ZoneDeviceException.outOfRange(
                device.name()
                        + ": bytes ["
                        + pos
                        + ", "
                        + pos
                        + "+"
                        + length
                        + ") lie outside the device; accepted: "
                        + accepted);
    }

    private void transfer(long pos, long length, Chunk chunk) {
        long size = size();
        if (pos < 0 || length < 0 || pos > size || length > size - pos) {
            throw outside(pos, length, "[0, " + size + ")");
        }
        long done = 0;
        while (done < length) {
            long at = pos + done;
            long pgoff = at / Pages.PAGE_SIZE;
            long inPage = at % Pages.PAGE_SIZE;
            long pages = (inPage + (length - done) + Pages.PAGE_SIZE - 1) / Pages.PAGE_SIZE;
            DirectAccess access = device.directAccess(pgoff, pages, false);
            long len = Math.min(access.availablePages() * Pages.PAGE_SIZE - inPage, length - done);
            copy(chunk, access.kernelAddress().asSlice(inPage, len), done, len, at);
            done += len;
        }
    }
}
