package dev.zonedev.cli;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * {@code --plugin-path DIR}: third-party arch, driver and memmap strategy jars, loaded with a
 * {@link URLClassLoader} over every {@code *.jar} in the directory on top of the built-in plugins.
 * A jar that provides none of them is refused loudly.
 */
final class PluginOptions {
    static final String ARCH_SERVICE = "META-INF/services/dev.zonedev.api.Arch";
    static final String DRIVER_SERVICE = "META-INF/services/dev.zonedev.api.NamespaceDriver";
    static final String STRATEGY_SERVICE = "META-INF/services/dev.zonedev.api.MemmapStrategy";

    @Option(
            names = "--plugin-path",
            paramLabel = "DIR",
            description =
                    "Directory of third-party arch, driver and strategy jars (ServiceLoader plugins) to add.")
    Path pluginPath;

    /** This command's plugin path, else the parent command's. */
    static ClassLoader loader(PluginOptions own, PluginOptions parent) {
        Path dir =
                own != null && own.pluginPath != null
                        ? own.pluginPath
                        : parent == null ? null : parent.pluginPath;
        return loader(dir);
    }

    static ClassLoader loader(Path dir) {
        ClassLoader builtIn = PluginOptions.class.getClassLoader();
        if (dir == null) {
            return builtIn;
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException(
                    "--plugin-path "
                            + dir
                            + " is not a directory; accepted: a directory of plugin"
                            + " jars");
        }
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar :
                    files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                            .sorted()
                            .toList()) {
                checkProvides(jar);
                urls.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new UsageException("--plugin-path " + dir + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UsageException("--plugin-path " + dir + " cannot be read: " + e.getMessage());
        }
        if (urls.isEmpty()) {
            throw new UsageException(
                    "--plugin-path "
                            + dir
                            + " holds no *.jar; accepted: a directory of jars that"
                            + " provide "
                            + ARCH_SERVICE
                            + ", "
                            + DRIVER_SERVICE
                            + " or "
                            + STRATEGY_SERVICE);
        }
        return new URLClassLoader("zonedev-plugins", urls.toArray(URL[]::new), builtIn);
    }

    private static void checkProvides(Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            if (f.getEntry(ARCH_SERVICE) == null
                    && f.getEntry(DRIVER_SERVICE) == null
                    && f.getEntry(STRATEGY_SERVICE) == null) {
                throw new UsageException(
                        "plugin jar "
                                + jar
                                + " provides nothing: it has none of "
                                + ARCH_SERVICE
                                + ", "
                                + DRIVER_SERVICE
                                + " and "
                                + STRATEGY_SERVICE);
            }
        } catch (IOException e) {
            throw new UsageException("plugin jar " + jar + " cannot be read: " + e.getMessage());
        }
    }
}
