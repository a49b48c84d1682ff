package dev.zonedev.core;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.MapLocation;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.api.pfn.PfnLayout;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How many bytes from the start of a backing file the engine itself will write when a namespace
 * binds: the info block page for fsdax and devdax, plus the memmap for {@code map=dev} (the altmap
 * blocks, which background workers write). The platform allocates them before the driver binds, so
 * those writes can never fault on a full filesystem. Raw namespaces and files the driver will
 * refuse (a foreign or corrupt info block, bad options) need nothing. Stateless and thread-safe;
 * reads the file, never writes.
 */
final class MetadataExtent {
    private MetadataExtent() {}

    /** Bytes from offset 0 of {@code file} to allocate for {@code spec} placed at {@code range}. */
    static long bytes(NamespaceSpec spec, PhysicalRange range, Path file) {
        if (spec.mode() == NamespaceMode.RAW) {
            return 0;
        }
        try {
            MemorySegment page = infoBlockPage(file);
            PfnLayout layout =
                    PfnInfoBlock.isBlank(page)
                            ? fresh(spec, range)
                            : PfnLayout.of(PfnInfoBlock.decode(page, spec.name()));
            return bytes(layout, range.size());
        } catch (ZoneDeviceException e) {
            return 0; // the driver refuses this namespace with its own message, before writing
            // anything
        }
    }

    private static PfnLayout fresh(NamespaceSpec spec, PhysicalRange range) {
        String map = spec.options().get("map");
        return PfnLayout.compute(
                spec.name(),
                range,
                spec.align(),
                map == null ? MapLocation.MEM : MapLocation.parse(map));
    }

    /**
     * The info block, and for map=dev the memmap blocks the altmap can hand out (not the alignment
     * padding).
     */
    static long bytes(PfnLayout layout, long namespaceSize) {
        if (layout.map() != MapLocation.DEV) {
            return PfnInfoBlock.RESERVE;
        }
        long memmap =
                alignUp(Pages.memmapBytes(namespaceSize / Pages.PAGE_SIZE), Pages.PMD_SIZE)
                        + 2 * Pages.PMD_SIZE;
        return Math.min(layout.dataOffset(), PfnInfoBlock.RESERVE + memmap);
    }

    private static MemorySegment infoBlockPage(Path file) {
        ByteBuffer buf = ByteBuffer.allocate((int) PfnInfoBlock.SIZE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining()
                    && channel.read(buf, PfnInfoBlock.OFFSET + buf.position()) > 0) {
                // read the whole page
            }
        } catch (IOException e) {
            throw Interrupts.fileFailure("read", file, e);
        }
        return MemorySegment.ofArray(buf.array());
    }

    private static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
