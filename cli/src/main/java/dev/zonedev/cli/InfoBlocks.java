package dev.zonedev.cli;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.core.NamespaceSpec;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the info block of a namespace's backing file without binding it (read only, never writes),
 * and turns it back into a namespace spec for a restart. Stateless.
 */
final class InfoBlocks {
    private InfoBlocks() {}

    /**
     * The info block of {@code file}: empty when its block page is blank (a raw namespace, or one
     * never bound).
     *
     * @throws ZoneDeviceException IO_ERROR for a short file or a foreign or corrupt block, INVALID
     *     for an unknown version
     */
    static Optional<PfnInfoBlock> read(Path file) {
        byte[] page = new byte[(int) PfnInfoBlock.SIZE];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < PfnInfoBlock.RESERVE) {
                throw ZoneDeviceException.ioError(
                        file
                                + " holds "
                                + ch.size()
                                + " bytes, too few for an info block at"
                                + " offset "
                                + PfnInfoBlock.OFFSET);
            }
            ByteBuffer buf = ByteBuffer.wrap(page);
            long pos = PfnInfoBlock.OFFSET;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new ZoneDeviceException(
                    ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
        MemorySegment segment = MemorySegment.ofArray(page);
        if (PfnInfoBlock.isBlank(segment)) {
            return Optional.empty();
        }
        return Optional.of(PfnInfoBlock.decode(segment, file.toString()));
    }

    /**
     * The spec that brings a file-backed namespace back after a restart: mode, alignment and size
     * from its info block (raw when there is none), the other options as before. A raw namespace
     * stays raw without reading its block page: that page holds its data.
     */
    static NamespaceSpec respec(NamespaceSpec before) {
        Path file = before.file().orElseThrow();
        if (before.mode() == NamespaceMode.RAW) {
            // a raw namespace has no info block: its page at the block's offset is data, never
            // parsed
            Map<String, String> options = new LinkedHashMap<>(before.options());
            options.remove("relabel");
            return withOptions(before, options);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ZoneDeviceException(
                    ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
        Optional<PfnInfoBlock> block = read(file);
        Map<String, String> options = new LinkedHashMap<>(before.options());
        options.remove("map");
        options.remove("relabel");
        if (block.isEmpty()) {
            return withOptions(before, options);
        }
        PfnInfoBlock b = block.get();
        long nsSize = b.namespaceSize() > 0 ? b.namespaceSize() : Math.min(size, before.size());
        return new NamespaceSpec(
                before.name(),
                nsSize,
                b.kind().mode(),
                b.align(),
                before.file(),
                before.nid(),
                options);
    }

    /** {@code before} with other options. */
    private static NamespaceSpec withOptions(NamespaceSpec before, Map<String, String> options) {
        return new NamespaceSpec(
                before.name(),
                before.size(),
                before.mode(),
                before.align(),
                before.file(),
                before.nid(),
                options);
    }
}
