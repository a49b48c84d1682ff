package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * Reads what an open file holds without changing it: where its first non-zero byte is, and how many
 * of its bytes have storage allocated. Holes are skipped with {@code lseek} ({@code
 * SEEK_DATA}/{@code SEEK_HOLE}), so a large sparse file costs only its data. Stateless and
 * thread-safe; the caller keeps {@code fd} open meanwhile.
 */
final class FileContents {
    private static final int CHUNK = 1 << 20;

    private FileContents() {}

    /**
     * The offset of the first non-zero byte in bytes {@code [from, length)} of {@code file} (open
     * as {@code fd}), or empty when they are all zero.
     *
     * @throws ZoneDeviceException {@link ErrorCode#IO_ERROR} when the file cannot be read
     */
    static OptionalLong firstNonZero(int fd, Path file, long from, long length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
            long pos = from;
            while (pos < length) {
                long data = dataAt(fd, pos, length);
                if (data >= length) {
                    return OptionalLong.empty();
                }
                long end = Math.min(holeAt(fd, data, length), length);
                OptionalLong found = firstNonZero(channel, buf, data, end);
                if (found.isPresent()) {
                    return found;
                }
                pos = end;
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            throw Interrupts.fileFailure("read", file, e);
        }
    }

    /**
     * Bytes of {@code [0, length)} that have storage allocated (data extents), per {@code
     * SEEK_DATA}.
     */
    static long allocatedBytes(int fd, long length) {
        long total = 0;
        long pos = 0;
        while (pos < length) {
            long data = dataAt(fd, pos, length);
            if (data >= length) {
                break;
            }
            long end = Math.min(holeAt(fd, data, length), length);
            total += end - data;
            pos = end;
        }
        return total;
    }

    private static OptionalLong firstNonZero(
            FileChannel channel, ByteBuffer buf, long from, long to) throws IOException {
        long pos = from;
        while (pos < to) {
            buf.clear().limit((int) Math.min(CHUNK, to - pos));
            int n = channel.read(buf, pos);
            if (n <= 0) {
                return OptionalLong.empty();
            }
            buf.flip();
            for (int i = 0; i < n; i++) {
                if (buf.get(i) != 0) {
                    return OptionalLong.of(pos + i);
                }
            }
            pos += n;
        }
        return OptionalLong.empty();
    }

    /**
     * The next data offset at or after {@code pos}; {@code length} when none; {@code pos} when
     * holes are unknown.
     */
    private static long dataAt(int fd, long pos, long length) {
        long r = Native.lseek(fd, pos, Native.SEEK_DATA);
        if (r == -Native.ENXIO) {
            return length;
        }
        return r < 0 ? pos : r;
    }

    /** The next hole at or after {@code pos}; {@code length} when holes are unknown. */
    private static long holeAt(int fd, long pos, long length) {
        long r = Native.lseek(fd, pos, Native.SEEK_HOLE);
        return r < 0 ? length : r;
    }
}
