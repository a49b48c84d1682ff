package dev.zonedev.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.zonedev.api.Arch;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.pfn.MapLocation;
import dev.zonedev.api.pfn.PfnInfoBlock;
import java.util.List;
import java.util.Locale;

/**
 * What {@code zonedev list} prints (README documents it): immutable records written by Jackson,
 * fields in declaration order. A namespace file's {@code mode} and {@code infoBlock} are always
 * present (null when unknown); {@code error} only when the file could not be read.
 *
 * @param arches the arches discovered
 * @param drivers the namespace drivers discovered
 * @param strategies the memmap strategies discovered
 * @param refusedPlugins plugins discovery refused, with why
 * @param dataDir the data directory, absolute and normalized
 * @param namespaces every regular file of at least 8 KiB in it, sorted by name
 */
record Listing(
        List<ArchEntry> arches,
        List<DriverEntry> drivers,
        List<StrategyEntry> strategies,
        List<String> refusedPlugins,
        String dataDir,
        List<FileEntry> namespaces) {

    /** One arch plugin. */
    record ArchEntry(
            String name,
            long sectionSize,
            String vmemmapBlock,
            int pageblockOrder,
            int apiVersion,
            @JsonProperty("class") String className) {
        static ArchEntry of(Arch a) {
            return new ArchEntry(
                    a.name(),
                    a.sectionSize(),
                    a.vmemmapBlockSize().name(),
                    a.pageblockOrder(),
                    a.apiVersion(),
                    a.getClass().getName());
        }
    }

    /** One namespace driver plugin. */
    record DriverEntry(String name, int apiVersion, @JsonProperty("class") String className) {
        static DriverEntry of(NamespaceDriver d) {
            return new DriverEntry(d.name(), d.apiVersion(), d.getClass().getName());
        }
    }

    /** One memmap strategy plugin. */
    record StrategyEntry(
            String name,
            boolean foregroundSync,
            String available,
            String description,
            int apiVersion,
            @JsonProperty("class") String className) {
        static StrategyEntry of(MemmapStrategy s) {
            return new StrategyEntry(
                    s.name(),
                    s.foregroundSync(),
                    s.availability() == null
                            ? null
                            : s.availability().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    s.description(),
                    s.apiVersion(),
                    s.getClass().getName());
        }
    }

    /**
     * One file of the data directory.
     *
     * @param mode {@code raw} without an info block, the block's mode with one, null when
     *     unreadable
     * @param infoBlock the info block, or null
     * @param error why the file could not be read, or null (then left out)
     */
    record FileEntry(
            String file,
            long bytes,
            String mode,
            InfoBlock infoBlock,
            @JsonInclude(JsonInclude.Include.NON_NULL) String error) {}

    /**
     * A file's pfn or dax info block as {@code list} shows it; {@code compoundOrder} is the order
     * of the compound pages a bind builds (device-dax with 2 MiB or 1 GiB alignment, else 0) and
     * {@code vmemmapReuse} whether their tail vmemmap pages will be reused ("yes", or "no: " and
     * why; absent without compound pages).
     */
    record InfoBlock(
            String kind,
            String mode,
            String uuid,
            String parentUuid,
            String version,
            long dataOffset,
            long npfns,
            String map,
            long align,
            long namespaceSize,
            int compoundOrder,
            @JsonInclude(JsonInclude.Include.NON_NULL) String vmemmapReuse) {
        static InfoBlock of(PfnInfoBlock b) {
            int order =
                    b.kind().mode() == NamespaceMode.DEVDAX
                            ? PagemapRequest.vmemmapShiftFor(b.align())
                            : 0;
            String reuse =
                    order == 0
                            ? null
                            : b.map() == MapLocation.DEV
                                    ? "no: altmap (map=dev): the memmap lives on the device"
                                    : "yes";
            return new InfoBlock(
                    b.kind().name().toLowerCase(Locale.ROOT),
                    b.kind().mode().text(),
                    b.uuid().toString(),
                    b.parentUuid().toString(),
                    b.versionMajor() + "." + b.versionMinor(),
                    b.dataOffset(),
                    b.npfns(),
                    b.map().text(),
                    b.align(),
                    b.namespaceSize(),
                    order,
                    reuse);
        }
    }
}
