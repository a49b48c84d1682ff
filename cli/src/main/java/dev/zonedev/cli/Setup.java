package dev.zonedev.cli;

import dev.zonedev.api.Arch;
import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.ArchDiscovery;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.NamespaceSpec;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks everything that can be checked before a platform exists, so that bad input is
 * refused with exit code 2 and nothing created: the engine configuration, that the arch and
 * a driver for every namespace are there, that names are unique and that files can be
 * created. Also remembers which backing files a run creates, so that a failed setup can
 * take them back. Stateless apart from {@link NewFiles}.
 */
final class Setup {
    private Setup() {
    }

    /** The engine configuration, with the arch checked against the plugins in {@code loader}. */
    static EngineConfig config(String arch, int workers, int rangesPerWorker, ClassLoader loader) {
        EngineConfig config;
        try {
            config = EngineConfig.defaults().withArch(arch).withWorkers(workers).withRangesPerWorker(rangesPerWorker)
                    .withPluginLoader(loader);
            ArchDiscovery.select(arch, ArchDiscovery.load(Arch.class, loader));
        } catch (ZoneDeviceException e) {
            throw new UsageException(e.getMessage());
        }
        return config;
    }

    /** Checks the namespaces as a set: unique names, a driver for each, files creatable. */
    static void checkNamespaces(List<NamespaceSpec> specs, ClassLoader loader) {
        Set<String> names = new HashSet<>();
        Set<Path> files = new HashSet<>();
        List<NamespaceDriver> drivers = ArchDiscovery.load(NamespaceDriver.class, loader);
        for (NamespaceSpec spec : specs) {
            if (!names.add(spec.name())) {
                throw new UsageException("namespace " + spec.name() + " is given twice; accepted: unique names");
            }
            checkDriver(spec, drivers);
            if (spec.file().isPresent()) {
                checkFile(spec, files);
            }
        }
    }

    static void checkDriver(NamespaceSpec spec, List<NamespaceDriver> drivers) {
        String wanted = spec.options().get("driver");
        NamespaceDevice probe = probe(spec);
        List<String> binding = drivers.stream().filter(d -> wanted != null ? d.name().equals(wanted)
                : d.supports(probe)).map(NamespaceDriver::name).toList();
        String available = drivers.stream().map(d -> d.name()).collect(Collectors.joining(", "));
        if (binding.isEmpty()) {
            throw new UsageException("namespace " + spec.name() + ": no driver " + (wanted != null ? "named " + wanted
                    : "binds mode " + spec.mode().text()) + "; drivers found: " + (available.isEmpty() ? "none"
                    : available));
        }
        if (binding.size() > 1) {
            throw new UsageException("namespace " + spec.name() + ": several drivers bind it (" + String.join(", ",
                    binding) + "); choose one with driver=NAME");
        }
    }

    private static void checkFile(NamespaceSpec spec, Set<Path> files) {
        Path file = spec.file().get().toAbsolutePath();
        if (!files.add(file)) {
            throw new UsageException("namespace " + spec.name() + ": file " + file + " backs another namespace too");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException("namespace " + spec.name() + ": file " + file + " is a directory; accepted: a"
                    + " regular file, existing or to be created");
        }
        Path parent = file.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException("namespace " + spec.name() + ": the directory of file " + file + " does not"
                    + " exist; accepted: a file in an existing directory");
        }
        try {
            if (Files.exists(file) && Files.size(file) < spec.size()) {
                throw new UsageException("namespace " + spec.name() + ": file " + file + " holds " + Files.size(file)
                        + " bytes, less than size " + spec.size() + "; accepted: a new file, or one at least as large"
                        + " (it is never truncated)");
            }
        } catch (IOException e) {
            throw new UsageException("namespace " + spec.name() + ": cannot read file " + file + ": " + e.getMessage());
        }
    }

    /** Checks an output file's directory exists and the path is not a directory. */
    static void checkOutput(String option, Path file) {
        Path abs = file.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new UsageException(option + " " + file + " is a directory; accepted: a file path");
        }
        if (abs.getParent() == null || !Files.isDirectory(abs.getParent())) {
            throw new UsageException(option + " " + file + ": directory " + abs.getParent() + " does not exist;"
                    + " accepted: a file in an existing directory");
        }
    }

    /** A storage-less device for {@link NamespaceDriver#supports}, which looks at mode and options. */
    static NamespaceDevice probe(NamespaceSpec spec) {
        return new NamespaceDevice() {
            @Override
            public String name() {
                return spec.name();
            }

            @Override
            public NamespaceMode mode() {
                return spec.mode();
            }

            @Override
            public PhysicalRange range() {
                return new PhysicalRange(0, spec.size());
            }

            @Override
            public int nid() {
                return spec.nid();
            }

            @Override
            public long align() {
                return spec.align();
            }

            @Override
            public MemorySegment memory() {
                throw new UnsupportedOperationException("a probe has no storage");
            }

            @Override
            public boolean persistent() {
                return spec.file().isPresent();
            }

            @Override
            public Map<String, String> options() {
                return spec.options();
            }
        };
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
