package dev.zonedev.cli;

import dev.zonedev.api.Arch;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.ArchDiscovery;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.NumaTopology;
import dev.zonedev.core.PageInit;
import dev.zonedev.core.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks everything that can be checked before a platform exists, so that bad input is refused with
 * exit code 2 and nothing created: the engine configuration, that the arch and a driver for every
 * namespace are there, that names are unique and that files can be created. Also remembers which
 * backing files a run creates, so that a failed setup can take them back. Stateless apart from
 * {@link NewFiles}.
 */
final class Setup {
    private Setup() {}

    /**
     * The engine configuration of a run's settings, each checked in this order against what is
     * accepted (the arch and strategy against the plugins in {@code loader}, the page writer, the
     * node count); the first one refused throws a {@link UsageException} naming it.
     */
    static EngineConfig config(
            String arch,
            int workers,
            int rangesPerWorker,
            String strategy,
            String pageInit,
            int nodes,
            ClassLoader loader) {
        EngineConfig config =
                strategy(config(arch, workers, rangesPerWorker, loader), strategy)
                        .withPageInit(pageInit(pageInit));
        return nodes(config, nodes);
    }

    /** The engine configuration, with the arch checked against the plugins in {@code loader}. */
    static EngineConfig config(String arch, int workers, int rangesPerWorker, ClassLoader loader) {
        EngineConfig config;
        try {
            config =
                    EngineConfig.defaults()
                            .withArch(arch)
                            .withWorkers(workers)
                            .withRangesPerWorker(rangesPerWorker)
                            .withPluginLoader(loader);
            List<String> refused = new ArrayList<>();
            List<Arch> arches = ArchDiscovery.load(Arch.class, loader, refused::add);
            try {
                ArchDiscovery.select(arch, arches);
            } catch (ZoneDeviceException e) {
                String why =
                        refused.stream()
                                .filter(r -> r.contains("\"" + arch + "\""))
                                .findFirst()
                                .map(r -> "; refused: " + r)
                                .orElse("");
                throw new UsageException(e.getMessage() + why);
            }
        } catch (ZoneDeviceException e) {
            throw new UsageException(e.getMessage());
        }
        return config;
    }

    /**
     * {@code config} with a physical address space large enough for {@code specs} (the next power
     * of two above where the last one ends), when the default is too small: a 64 TiB namespace
     * needs 128 TiB.
     *
     * @throws UsageException when the namespaces need more than the largest accepted space
     */
    static EngineConfig sizedFor(EngineConfig config, List<NamespaceSpec> specs) {
        long end = Platform.physicalEndFor(specs.stream().map(NamespaceSpec::size).toList());
        if (end <= config.maxPhysicalBytes()) {
            return config;
        }
        long space = Long.highestOneBit(end - 1) << 1;
        if (end > EngineConfig.MAX_PHYSICAL_BYTES || space > EngineConfig.MAX_PHYSICAL_BYTES) {
            throw new UsageException(
                    "the namespaces end at physical address "
                            + end
                            + " (placed from 4 GiB on 1 GiB boundaries); accepted: at most "
                            + EngineConfig.MAX_PHYSICAL_BYTES
                            + " bytes (256 TiB) in total, and at most 2^20 sections of the arch");
        }
        try {
            return config.withMaxPhysicalBytes(space);
        } catch (ZoneDeviceException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * The page writer named {@code label}.
     *
     * @throws UsageException naming the value and the accepted ones
     */
    static PageInit pageInit(String label) {
        try {
            return PageInit.parse(label);
        } catch (ZoneDeviceException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * {@code config} with the NUMA topology {@code nodes} ({@link EngineConfig#withNodes}).
     *
     * @throws UsageException naming the value and the accepted range
     */
    static EngineConfig nodes(EngineConfig config, int nodes) {
        try {
            return config.withNodes(nodes);
        } catch (ZoneDeviceException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Checks that every namespace's {@code nid=} is a node of the topology {@code config} names.
     *
     * @throws UsageException naming the namespace, the node and the accepted ones
     */
    static void checkNodes(List<NamespaceSpec> specs, EngineConfig config) {
        NumaTopology topology = NumaTopology.of(config);
        for (NamespaceSpec s : specs) {
            try {
                topology.checkNode("namespace " + s.name() + ": ", s.nid());
            } catch (ZoneDeviceException e) {
                throw new UsageException(
                        e.getMessage() + "; --nodes N simulates a topology of N nodes");
            }
        }
    }

    /**
     * {@code config} with the memmap strategy named {@code name}, checked against the strategies
     * discovered with its plugin loader; an unknown name is refused listing the accepted ones (and
     * why a plugin of that name was refused, if one was).
     */
    static EngineConfig strategy(EngineConfig config, String name) {
        List<String> refused = new ArrayList<>();
        List<MemmapStrategy> strategies =
                ArchDiscovery.load(MemmapStrategy.class, config.pluginLoader(), refused::add);
        try {
            ArchDiscovery.selectStrategy(name, strategies);
            return config.withStrategy(name);
        } catch (ZoneDeviceException e) {
            String why =
                    refused.stream()
                            .filter(r -> r.contains("\"" + name + "\""))
                            .findFirst()
                            .map(r -> "; refused: " + r)
                            .orElse("");
            throw new UsageException(e.getMessage() + why);
        }
    }

    /** Checks the namespaces as a set: unique names, a driver for each, files creatable. */
    static void checkNamespaces(List<NamespaceSpec> specs, ClassLoader loader) {
        Set<String> names = new HashSet<>();
        Set<Path> files = new HashSet<>();
        List<NamespaceDriver> drivers = ArchDiscovery.load(NamespaceDriver.class, loader);
        for (NamespaceSpec spec : specs) {
            if (!names.add(spec.name())) {
                throw new UsageException(
                        "namespace " + spec.name() + " is given twice; accepted: unique names");
            }
            checkDriver(spec, drivers);
            if (spec.file().isPresent()) {
                checkFile(spec, files);
            }
        }
    }

    static void checkDriver(NamespaceSpec spec, List<NamespaceDriver> drivers) {
        try {
            Platform.driverFor(spec, drivers);
        } catch (ZoneDeviceException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Checks that the filesystem holds a file of the namespace's size: a sparse probe file beside
     * it is set to that length and removed (no data block is allocated). ext4 with 4 KiB blocks
     * refuses files over 16 TiB less 4 KiB ({@code EFBIG}).
     */
    private static void checkFileSize(NamespaceSpec spec, Path file) {
        Path probe = null;
        try {
            probe = Files.createTempFile(file.getParent(), ".zonedev-size-", ".probe");
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(probe.toFile(), "rw")) {
                f.setLength(spec.size());
            }
        } catch (IOException e) {
            if (probe != null) {
                throw new UsageException(
                        "namespace "
                                + spec.name()
                                + ": the filesystem of "
                                + file
                                + " cannot hold a file of "
                                + spec.size()
                                + " bytes ("
                                + e.getMessage()
                                + "); accepted: a size within the filesystem's largest file"
                                + " (ext4 with 4 KiB blocks: 17592186040320 bytes, 16 TiB less"
                                + " 4 KiB), another filesystem (xfs holds 8 EiB), or no file="
                                + " for anonymous memory");
            }
            // the directory refused the probe itself: the create reports that
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a leftover empty probe file holds no data
                }
            }
        }
    }

    private static void checkFile(NamespaceSpec spec, Set<Path> files) {
        Path file = spec.file().get().toAbsolutePath();
        if (!files.add(file)) {
            throw new UsageException(
                    "namespace " + spec.name() + ": file " + file + " backs another namespace too");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException(
                    "namespace "
                            + spec.name()
                            + ": file "
                            + file
                            + " is a directory; accepted: a"
                            + " regular file, existing or to be created");
        }
        Path parent = file.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException(
                    "namespace "
                            + spec.name()
                            + ": the directory of file "
                            + file
                            + " does not"
                            + " exist; accepted: a file in an existing directory");
        }
        if (!Files.exists(file)) {
            checkFileSize(spec, file);
        }
        try {
            if (Files.exists(file) && Files.size(file) < spec.size()) {
                throw new UsageException(
                        "namespace "
                                + spec.name()
                                + ": file "
                                + file
                                + " holds "
                                + Files.size(file)
                                + " bytes, less than size "
                                + spec.size()
                                + "; accepted: a new file, or one at least as large"
                                + " (it is never truncated)");
            }
        } catch (IOException e) {
            throw new UsageException(
                    "namespace "
                            + spec.name()
                            + ": cannot read file "
                            + file
                            + ": "
                            + e.getMessage());
        }
    }

    /** Checks an output file's directory exists and the path is not a directory. */
    static void checkOutput(String option, Path file) {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new UsageException(
                    option + " " + file + " is a directory; accepted: a file path");
        }
        if (abs.getParent() == null || !Files.isDirectory(abs.getParent())) {
            throw new UsageException(
                    option
                            + " "
                            + file
                            + ": directory "
                            + abs.getParent()
                            + " does not exist;"
                            + " accepted: a file in an existing directory");
        }
    }

    /** The backing files a run creates, so that a failed setup can delete them again. */
    static final class NewFiles {
        private final List<Path> created = new ArrayList<>();

        /** Notes the spec's file when it does not exist yet (call before creating it). */
        void note(NamespaceSpec spec) {
            spec.file().filter(f -> !Files.exists(f)).ifPresent(created::add);
        }

        /** Deletes every noted file; best effort. */
        void deleteAll() {
            for (Path f : created) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // best effort: the platform is closed, the file is ours
                }
            }
            created.clear();
        }
    }
}
