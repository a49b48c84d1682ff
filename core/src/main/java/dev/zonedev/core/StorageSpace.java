package dev.zonedev.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a sparse backing file may still need from its filesystem, against what the filesystem has
 * free. The data of a namespace is allocated only when first written, so a file may be larger than
 * the free space (thin provisioning, as with any sparse VM image); a write that finds no space then
 * fails with {@code ENOSPC} naming the file. This check says so up front, with the figures, instead
 * of refusing a namespace that may never be filled. Stateless and thread-safe.
 *
 * @param namespace the namespace name, for the message
 * @param file the backing file
 * @param size the namespace size in bytes
 * @param allocated bytes of the file that hold data ({@code SEEK_DATA}); blocks reserved but never
 *     written may count as holes, so {@link #unallocated} errs high
 * @param free bytes the filesystem has free for this user
 */
public record StorageSpace(String namespace, Path file, long size, long allocated, long free) {

    /** Measures {@code file} (open as {@code fd}) for a namespace of {@code size} bytes. */
    static StorageSpace of(String namespace, Path file, int fd, long size) {
        return new StorageSpace(
                namespace, file, size, FileContents.allocatedBytes(fd, size), usableBytes(file));
    }

    /** Bytes the data could still need: the part of the namespace without storage yet. */
    public long unallocated() {
        return Math.max(0, size - allocated);
    }

    /** A warning with the figures when the data could need more than the filesystem has free. */
    public Optional<String> warning() {
        if (unallocated() <= free) {
            return Optional.empty();
        }
        return Optional.of(
                "namespace "
                        + namespace
                        + ": file "
                        + file
                        + " is sparse: its data could need "
                        + unallocated()
                        + " more bytes but the filesystem has only "
                        + free
                        + " bytes free; writes beyond"
                        + " that fail with ENOSPC");
    }

    /** Bytes free for this user on the filesystem holding {@code file}; -1 when unknown. */
    static long usableBytes(Path file) {
        try {
            return Files.getFileStore(file).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }
}
