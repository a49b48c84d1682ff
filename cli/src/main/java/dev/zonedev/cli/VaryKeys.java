package dev.zonedev.cli;

import dev.zonedev.api.Arch;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PageFlags;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.PfnLayout;
import dev.zonedev.core.ArchDiscovery;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.PageInit;
import dev.zonedev.core.Sizes;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The keys {@code zonedev compare --vary} knows, one {@link VaryKey} entry each. Stateless. */
final class VaryKeys {
    private VaryKeys() {}

    /** Every key, in the order help lists them. */
    static List<VaryKey> all(ClassLoader loader) {
        return List.of(
                new VaryKey(
                        "strategy",
                        "a strategy plugin's name: seed, upstream, padata, seed+padata, or a plugin's",
                        v -> strategy(v, loader),
                        (c, v) -> c.withStrategy(v)),
                new VaryKey(
                        "page-init",
                        PageInit.accepted(),
                        VaryKeys::pageInit,
                        (c, v) -> c.withPageInit(PageInit.parse(v))),
                new VaryKey(
                        "workers",
                        "1 to 1024",
                        v -> number("workers", v, 1, 1024),
                        (c, v) -> c.withWorkers(Integer.parseInt(v))),
                new VaryKey(
                        "ranges-per-worker",
                        "1 to 1048576",
                        v -> number("ranges-per-worker", v, 1, 1 << 20),
                        (c, v) -> c.withRangesPerWorker(Integer.parseInt(v))),
                new VaryKey(
                        "arch",
                        "an arch plugin's name",
                        v -> arch(v, loader),
                        (c, v) -> c.withArch(v)),
                new VaryKey("map", "mem or dev", v -> oneOf("map", v, List.of("mem", "dev")), null),
                new VaryKey("align", "4K, 2M or 1G", VaryKeys::align, null),
                new VaryKey(
                        "mode",
                        "raw, fsdax or devdax",
                        v -> oneOf("mode", v, List.of("raw", "fsdax", "devdax")),
                        null),
                new VaryKey("nid", "0 to " + (PageFlags.MAX_NODES - 1), VaryKeys::nid, null));
    }

    /** The key called {@code name}. */
    static Optional<VaryKey> find(String name, ClassLoader loader) {
        return all(loader).stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** "strategy, page-init, workers, ...", for messages. */
    static String names(ClassLoader loader) {
        return String.join(", ", all(loader).stream().map(VaryKey::name).toList());
    }

    private static String number(String key, String value, int min, int max) {
        if (value.matches("[0-9]{1,10}")) {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return Long.toString(n);
            }
        }
        throw new UsageException(
                "--vary " + key + "=" + value + " is not valid; accepted: " + min + " to " + max);
    }

    private static String oneOf(String key, String value, List<String> accepted) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!accepted.contains(v)) {
            throw new UsageException(
                    "--vary "
                            + key
                            + "="
                            + value
                            + " is unknown; accepted: "
                            + String.join(", ", accepted));
        }
        if (key.equals("mode")) {
            NamespaceMode.parse(v); // the modes the api knows, so this list cannot drift
        }
        return v;
    }

    private static String align(String value) {
        try {
            long bytes = Sizes.parse(value);
            if (PfnLayout.SUPPORTED_ALIGNMENTS.contains(bytes)) {
                return Sizes.format(bytes);
            }
        } catch (ZoneDeviceException e) {
            // not a size: reported below
        }
        throw new UsageException("--vary align=" + value + " is not valid; accepted: 4K, 2M, 1G");
    }

    private static String strategy(String value, ClassLoader loader) {
        try {
            Setup.strategy(EngineConfig.defaults().withPluginLoader(loader), value);
        } catch (UsageException e) {
            throw new UsageException("--vary strategy=" + value + ": " + e.getMessage());
        }
        return value;
    }

    private static String pageInit(String value) {
        try {
            return PageInit.parse(value).label();
        } catch (ZoneDeviceException e) {
            throw new UsageException(
                    "--vary page-init=" + value + " is unknown; accepted: " + PageInit.accepted());
        }
    }

    private static String nid(String value) {
        return number("nid", value, 0, PageFlags.MAX_NODES - 1);
    }

    private static String arch(String value, ClassLoader loader) {
        List<Arch> arches = ArchDiscovery.load(Arch.class, loader, r -> {});
        if (arches.stream().noneMatch(a -> a.name().equals(value))) {
            throw new UsageException(
                    "--vary arch=" + value + " is unknown; accepted: " + arches(loader));
        }
        return value;
    }

    private static String arches(ClassLoader loader) {
        return String.join(
                ", ",
                ArchDiscovery.load(Arch.class, loader, r -> {}).stream().map(Arch::name).toList());
    }
}
