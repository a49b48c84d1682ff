package dev.zonedev.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.zonedev.api.Arch;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.ArchDiscovery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code zonedev list}: JSON in the spirit of {@code ndctl list}: the arches and drivers
 * discovered, and the file-backed namespaces in a data directory with their info blocks.
 * Reads only.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Print JSON: the arches and drivers discovered, and the file-backed namespaces found in",
            "a data directory (every regular file of at least 8 KiB) with their info blocks. Reads only."})
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Zonedev parent;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".",
            description = "Directory of namespace files. Default: the current directory.")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        return Zonedev.usage(spec, () -> {
            ClassLoader loader = PluginOptions.loader(plugins, parent.plugins);
            if (!Files.isDirectory(dataDir)) {
                throw new UsageException("--data-dir " + dataDir + " is not a directory; accepted: an existing"
                        + " directory");
            }
            Map<String, Object> root = new LinkedHashMap<>();
            List<Map<String, Object>> arches = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (Arch a : ArchDiscovery.load(Arch.class, loader, refused::add)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", a.name());
                m.put("sectionSize", a.sectionSize());
                m.put("vmemmapBlock", a.vmemmapBlockSize().name());
                m.put("apiVersion", a.apiVersion());
                m.put("class", a.getClass().getName());
                arches.add(m);
            }
            List<Map<String, Object>> drivers = new ArrayList<>();
            for (NamespaceDriver d : ArchDiscovery.load(NamespaceDriver.class, loader, refused::add)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", d.name());
                m.put("apiVersion", d.apiVersion());
                m.put("class", d.getClass().getName());
                drivers.add(m);
            }
            root.put("arches", arches);
            root.put("drivers", drivers);
            root.put("refusedPlugins", refused);
            root.put("dataDir", dataDir.toAbsolutePath().normalize().toString());
            root.put("namespaces", namespaces());
            try {
                Zonedev.out(spec).println(Report.JSON.writeValueAsString(root));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            Zonedev.out(spec).flush();
            return 0;
        });
    }

    private List<Map<String, Object>> namespaces() {
        List<Map<String, Object>> list = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                long size = Files.size(f);
                if (size < 8192) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", f.toAbsolutePath().normalize().toString());
                m.put("bytes", size);
                try {
                    var block = InfoBlocks.read(f);
                    m.put("mode", block.map(b -> b.kind().mode().text()).orElse("raw"));
                    m.put("infoBlock", block.map(InfoBlocks::describe).orElse(null));
                } catch (ZoneDeviceException e) {
                    m.put("mode", null);
                    m.put("infoBlock", null);
                    m.put("error", e.getMessage());
                }
                list.add(m);
            }
        } catch (IOException e) {
            throw new UsageException("--data-dir " + dataDir + " cannot be read: " + e.getMessage());
        }
        return list;
    }
}
