package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.InfoBlockKind;
import dev.zonedev.api.pfn.PfnInfoBlock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * Whether an existing file may become a namespace's storage, decided before anything is written to
 * it (ndctl's "namespace holds data, use --force"):
 *
 * <ul>
 *   <li>it must hold at least the namespace's bytes ({@code INVALID} otherwise);
 *   <li>for a namespace with an info block, a non-blank page at {@link PfnInfoBlock#OFFSET} is the
 *       driver's to judge: it binds a zonedev block and refuses anything else with {@code EIO}
 *       without writing;
 *   <li>otherwise the file must be all zeros, or carry the {@link CreatorMark}; any other content
 *       is foreign data, refused with {@code EEXIST} naming the first non-zero byte.
 * </ul>
 *
 * With {@code force} the data check is skipped, and a non-blank page at the info-block offset that
 * is not a zonedev block is cleared so that a fresh block can be written. Stateless and
 * thread-safe; the caller holds the file's lock.
 */
final class ExistingFileCheck {
    private ExistingFileCheck() {}

    /**
     * Applies the rules above to {@code file} (open as {@code fd}) for namespace {@code namespace}
     * of {@code size} bytes; {@code infoBlock} says it keeps an info block.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID}, {@link ErrorCode#EXISTS} as above,
     *     {@link ErrorCode#IO_ERROR} when the file cannot be read; the file is then unchanged
     */
    static void check(
            String namespace, Path file, int fd, long size, boolean force, boolean infoBlock) {
        long length = sizeOf(file);
        if (length < size) {
            throw ZoneDeviceException.invalid(
                    "file "
                            + file
                            + " holds "
                            + length
                            + " bytes, less than the "
                            + size
                            + " bytes of "
                            + namespace
                            + "; it was left untouched");
        }
        boolean pageBlank =
                FileContents.firstNonZero(fd, file, PfnInfoBlock.OFFSET, PfnInfoBlock.RESERVE)
                        .isEmpty();
        if (force) {
            if (infoBlock && !pageBlank && !hasInfoBlock(file)) {
                clearInfoBlockPage(file);
            }
            return;
        }
        if (infoBlock && !pageBlank || CreatorMark.isPresent(file)) {
            return;
        }
        OptionalLong first = FileContents.firstNonZero(fd, file, 0, length);
        if (first.isPresent()) {
            throw ZoneDeviceException.exists(
                    "namespace "
                            + namespace
                            + ": file "
                            + file
                            + " already holds data"
                            + " (a non-zero byte at offset "
                            + first.getAsLong()
                            + ") and no zonedev info block at offset "
                            + PfnInfoBlock.OFFSET
                            + "; it was not created by zonedev and was left untouched; accepted: a"
                            + " new file, an empty (all-zero) file, a file holding a zonedev namespace, or option"
                            + " force=true to overwrite it");
        }
    }

    /** True when the page at the info-block offset starts with a known info-block signature. */
    private static boolean hasInfoBlock(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer sig = ByteBuffer.allocate(InfoBlockKind.SIGNATURE_LENGTH);
            channel.read(sig, PfnInfoBlock.OFFSET);
            return sig.position() == sig.capacity()
                    && InfoBlockKind.bySignature(sig.array()).isPresent();
        } catch (IOException e) {
            throw Interrupts.fileFailure("read", file, e);
        }
    }

    private static void clearInfoBlockPage(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate((int) PfnInfoBlock.SIZE);
            while (zeros.hasRemaining()) {
                channel.write(zeros, PfnInfoBlock.OFFSET + zeros.position());
            }
        } catch (IOException e) {
            throw Interrupts.fileFailure("write", file, e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new ZoneDeviceException(ErrorCode.IO_ERROR, "cannot stat " + file + ": " + e, e);
        }
    }
}
