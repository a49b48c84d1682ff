package dev.zonedev.core;

import dev.zonedev.api.Arch;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds plugins with {@link ServiceLoader} and selects arches by name. A provider that fails
 * to load is reported and skipped, not fatal; selecting an unknown name fails with the list
 * of available ones. Stateless.
 */
public final class ArchDiscovery {
    private static final System.Logger LOG = System.getLogger(ArchDiscovery.class.getName());

    private ArchDiscovery() {
    }

    /** Every {@code S} provider in {@code loader} that loads; failures are logged. */
    public static <S> List<S> load(Class<S> service, ClassLoader loader) {
        List<S> found = new ArrayList<>();
        var iterator = ServiceLoader.load(service, loader).stream().iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                found.add(iterator.next().get());
            } catch (ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.WARNING, "skipping a " + service.getSimpleName() + " provider: " + e.getMessage());
            }
        }
        return found;
    }

    /**
     * The arch named {@code name} among {@code arches}.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} for an unknown or
     *     ambiguous name, a newer API version, or a section size that is not a power of two
     *     of at least 128 MiB
     */
    public static Arch select(String name, List<Arch> arches) {
        Map<String, List<Arch>> byName = new LinkedHashMap<>();
        for (Arch a : arches) {
            byName.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a);
        }
        List<Arch> matches = byName.get(name);
        if (matches == null) {
            throw ZoneDeviceException.invalid("arch \"" + name + "\" is not available; available: "
                    + (byName.isEmpty() ? "none (no arch plugin on the class path)" : String.join(", ", byName.keySet())));
        }
        if (matches.size() > 1) {
            throw ZoneDeviceException.invalid("arch \"" + name + "\" is provided by several plugins: " + matches.stream()
                    .map(a -> a.getClass().getName()).collect(Collectors.joining(", ")));
        }
        return checked(matches.getFirst());
    }

    private static Arch checked(Arch arch) {
        if (arch.apiVersion() > ZonedevApi.VERSION) {
            throw ZoneDeviceException.invalid("arch " + arch.name() + " needs zonedev API " + arch.apiVersion()
                    + "; this engine has API " + ZonedevApi.VERSION);
        }
        long size = arch.sectionSize();
        if (Long.bitCount(size) != 1 || size < (128L << 20) || size > (1L << 40)) {
            throw ZoneDeviceException.invalid("arch " + arch.name() + " declares section size " + size
                    + "; accepted: a power of two from 128 MiB to 1 TiB");
        }
        if (arch.vmemmapBlockSize() == null) {
            throw ZoneDeviceException.invalid("arch " + arch.name() + " declares no vmemmap block size");
        }
        return arch;
    }
}
