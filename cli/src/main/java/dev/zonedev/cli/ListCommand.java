package dev.zonedev.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.zonedev.api.Arch;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.ArchDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code zonedev list}: JSON in the spirit of {@code ndctl list}: the arches, drivers and memmap
 * strategies discovered, and the file-backed namespaces in a data directory with their info blocks.
 * Reads only. The JSON is a {@link Listing}.
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Print JSON: the arches, drivers and memmap strategies discovered, and the file-backed namespaces found in",
            "a data directory (every regular file of at least 8 KiB) with their info blocks. Reads only."
        })
final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Zonedev parent;

    @Mixin PluginOptions plugins = new PluginOptions();

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Directory of namespace files. Default: the current directory.")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        return Zonedev.usage(
                spec,
                () -> {
                    ClassLoader loader = PluginOptions.loader(plugins, parent.plugins);
                    if (!Files.isDirectory(dataDir)) {
                        throw new UsageException(
                                "--data-dir "
                                        + dataDir
                                        + " is not a directory; accepted: an existing"
                                        + " directory");
                    }
                    List<String> refused = new ArrayList<>();
                    List<Listing.ArchEntry> arches =
                            ArchDiscovery.load(Arch.class, loader, refused::add).stream()
                                    .map(Listing.ArchEntry::of)
                                    .toList();
                    List<Listing.DriverEntry> drivers =
                            ArchDiscovery.load(NamespaceDriver.class, loader, refused::add).stream()
                                    .map(Listing.DriverEntry::of)
                                    .toList();
                    List<Listing.StrategyEntry> strategies =
                            ArchDiscovery.load(MemmapStrategy.class, loader, refused::add).stream()
                                    .map(Listing.StrategyEntry::of)
                                    .toList();
                    Listing root =
                            new Listing(
                                    arches,
                                    drivers,
                                    strategies,
                                    refused,
                                    dataDir.toAbsolutePath().normalize().toString(),
                                    namespaces());
                    try {
                        Zonedev.out(spec).println(Report.Mappers.JSON.writeValueAsString(root));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                    Zonedev.out(spec).flush();
                    return 0;
                });
    }

    private List<Listing.FileEntry> namespaces() {
        List<Listing.FileEntry> list = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                long size = Files.size(f);
                if (size < 8192) {
                    continue;
                }
                String file = f.toAbsolutePath().normalize().toString();
                try {
                    var block = InfoBlocks.read(f);
                    list.add(
                            new Listing.FileEntry(
                                    file,
                                    size,
                                    block.map(b -> b.kind().mode().text()).orElse("raw"),
                                    block.map(Listing.InfoBlock::of).orElse(null),
                                    null));
                } catch (ZoneDeviceException e) {
                    list.add(new Listing.FileEntry(file, size, null, null, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UsageException(
                    "--data-dir " + dataDir + " cannot be read: " + e.getMessage());
        }
        return list;
    }
}
