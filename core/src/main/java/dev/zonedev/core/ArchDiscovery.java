package dev.zonedev.core;

import dev.zonedev.api.Arch;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevPlugin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins with {@link ServiceLoader}, checks their API version ({@link PluginHandshake}) and
 * selects arches and memmap strategies by name. A provider that fails to load or is refused is
 * reported and skipped, not fatal; selecting an unknown name fails with the list of available ones.
 * Stateless.
 */
public final class ArchDiscovery {
    private ArchDiscovery() {}

    /**
     * Every {@code S} provider in {@code loader} that loads and passes the {@link PluginHandshake};
     * a provider that fails to load or is refused is logged as a warning and left out.
     */
    public static <S extends ZonedevPlugin> List<S> load(Class<S> service, ClassLoader loader) {
        return load(
                service,
                loader,
                reason -> LoggerFactory.getLogger(ArchDiscovery.class).warn(reason));
    }

    /**
     * As {@link #load(Class, ClassLoader)}, handing each reason a provider was left out to {@code
     * refused}.
     */
    public static <S extends ZonedevPlugin> List<S> load(
            Class<S> service, ClassLoader loader, Consumer<String> refused) {
        String kind = service.getSimpleName();
        List<S> found = new ArrayList<>();
        var iterator = ServiceLoader.load(service, loader).stream().iterator();
        while (true) {
            S plugin;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                plugin = iterator.next().get();
            } catch (ServiceConfigurationError e) {
                refused.accept("skipping a " + kind + " provider: " + e.getMessage());
                continue;
            }
            PluginHandshake.refusal(kind, plugin).ifPresentOrElse(refused, () -> found.add(plugin));
        }
        return found;
    }

    /**
     * The arch named {@code name} among {@code arches}.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} for an unknown or
     *     ambiguous name, a newer API version, or a section size that is not a power of two of at
     *     least 128 MiB
     */
    public static Arch select(String name, List<Arch> arches) {
        Map<String, List<Arch>> byName = new LinkedHashMap<>();
        for (Arch a : arches) {
            byName.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a);
        }
        List<Arch> matches = byName.get(name);
        if (matches == null) {
            throw ZoneDeviceException.invalid(
                    "arch \""
                            + name
                            + "\" is not available; available: "
                            + (byName.isEmpty()
                                    ? "none (no arch plugin on the class path)"
                                    : String.join(", ", byName.keySet())));
        }
        if (matches.size() > 1) {
            throw ZoneDeviceException.invalid(
                    "arch \""
                            + name
                            + "\" is provided by several plugins: "
                            + matches.stream()
                                    .map(a -> a.getClass().getName())
                                    .collect(Collectors.joining(", ")));
        }
        return checked(matches.getFirst());
    }

    /**
     * The memmap strategy named {@code name} among {@code strategies}.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} for an unknown or
     *     ambiguous name (the message lists the accepted names) or a newer API version
     */
    public static MemmapStrategy selectStrategy(String name, List<MemmapStrategy> strategies) {
        Map<String, List<MemmapStrategy>> byName = new LinkedHashMap<>();
        for (MemmapStrategy s : strategies) {
            byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        }
        List<MemmapStrategy> matches = byName.get(name);
        if (matches == null) {
            throw ZoneDeviceException.invalid(
                    "strategy \""
                            + name
                            + "\" is not available; accepted: "
                            + (byName.isEmpty()
                                    ? "none (no strategy plugin on the class path)"
                                    : String.join(", ", new java.util.TreeSet<>(byName.keySet()))));
        }
        if (matches.size() > 1) {
            throw ZoneDeviceException.invalid(
                    "strategy \""
                            + name
                            + "\" is provided by several plugins: "
                            + matches.stream()
                                    .map(s -> s.getClass().getName())
                                    .collect(Collectors.joining(", ")));
        }
        MemmapStrategy strategy = matches.getFirst();
        PluginHandshake.refusal("strategy", strategy)
                .ifPresent(
                        reason -> {
                            throw ZoneDeviceException.invalid(reason);
                        });
        if (strategy.availability() == null) {
            throw ZoneDeviceException.invalid(
                    "strategy "
                            + name
                            + " declares no availability; accepted: ADD_RETURNS, INITIALIZED");
        }
        return strategy;
    }

    private static Arch checked(Arch arch) {
        PluginHandshake.refusal("arch", arch)
                .ifPresent(
                        reason -> {
                            throw ZoneDeviceException.invalid(reason);
                        });
        long size = arch.sectionSize();
        if (Long.bitCount(size) != 1 || size < (128L << 20) || size > (1L << 40)) {
            throw ZoneDeviceException.invalid(
                    "arch "
                            + arch.name()
                            + " declares section size "
                            + size
                            + "; accepted: a power of two from 128 MiB to 1 TiB");
        }
        if (arch.vmemmapBlockSize() == null) {
            throw ZoneDeviceException.invalid(
                    "arch " + arch.name() + " declares no vmemmap block size");
        }
        return arch;
    }
}
