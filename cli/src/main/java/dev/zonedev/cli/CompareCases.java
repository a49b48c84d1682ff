package dev.zonedev.cli;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.MapLocation;
import dev.zonedev.api.pfn.PfnLayout;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.NamespaceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Makes every {@code zonedev compare} combination concrete and checks it before anything runs: the
 * engine keys applied to the configuration, the namespace keys set in every {@code --namespace}
 * spec, the specs parsed and checked as {@code boot} checks them, and the layout the drivers will
 * compute (a namespace too small for its alignment or for {@code map=dev}) computed ahead. Creates
 * nothing. Stateless.
 */
final class CompareCases {
    /** The most combinations one compare runs. */
    static final int MAX_COMBINATIONS = 64;

    private CompareCases() {}

    /**
     * One checked case per combination, in combination order.
     *
     * @throws UsageException naming the combination and what is wrong with it
     */
    static List<CompareCase> of(
            List<Combination> combinations,
            EngineConfig base,
            List<String> namespaces,
            Path dataDir,
            ClassLoader loader) {
        if (combinations.size() > MAX_COMBINATIONS) {
            throw new UsageException(
                    combinations.size()
                            + " combinations; accepted: at most "
                            + MAX_COMBINATIONS
                            + " (fewer --vary values)");
        }
        List<CompareCase> cases = new ArrayList<>();
        for (Combination c : combinations) {
            try {
                cases.add(of(c, base, namespaces, dataDir, loader));
            } catch (UsageException e) {
                throw new UsageException("combination " + c.label() + ": " + e.getMessage());
            }
        }
        return cases;
    }

    private static CompareCase of(
            Combination c,
            EngineConfig base,
            List<String> namespaces,
            Path dataDir,
            ClassLoader loader) {
        EngineConfig config = base;
        List<String> texts = new ArrayList<>(namespaces);
        for (Map.Entry<String, String> e : c.settings().entrySet()) {
            VaryKey key = VaryKeys.find(e.getKey(), loader).orElseThrow();
            if (key.namespaceKey()) {
                texts.replaceAll(t -> withOption(t, e.getKey(), e.getValue()));
            } else {
                try {
                    config = key.engine().apply(config, e.getValue());
                } catch (ZoneDeviceException ex) {
                    throw new UsageException(ex.getMessage());
                }
            }
        }
        List<NamespaceSpec> specs = new ArrayList<>();
        for (String t : texts) {
            specs.add(NamespaceArg.parse(t, dataDir));
        }
        Setup.checkNamespaces(specs, loader);
        specs.forEach(CompareCases::checkLayout);
        config = Setup.sizedFor(config, specs);
        Setup.checkNodes(specs, config);
        return new CompareCase(c, config, specs);
    }

    /** {@code NAME:k=v,...} with {@code key=value} set (replacing a value given there). */
    static String withOption(String spec, String key, String value) {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            return spec; // NamespaceArg.parse refuses it, naming the accepted form
        }
        Map<String, String> kv =
                NamespaceArg.keyValues(spec.substring(colon + 1), "namespace \"" + spec + "\"");
        kv.put(key, value);
        return spec.substring(0, colon)
                + ":"
                + kv.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(","));
    }

    /**
     * Refuses what the fsdax and devdax drivers would refuse for a new namespace's layout: no data
     * page after the info block (and a {@code map=dev} memmap) at the alignment, or a dax region
     * with no whole aligned unit.
     */
    static void checkLayout(NamespaceSpec spec) {
        if (spec.mode() == NamespaceMode.RAW) {
            return;
        }
        try {
            PfnLayout layout =
                    PfnLayout.compute(
                            "namespace " + spec.name(),
                            new PhysicalRange(0, spec.size()),
                            spec.align(),
                            MapLocation.parse(spec.options().get("map")));
            if (spec.mode() == NamespaceMode.DEVDAX
                    && layout.npfns() * Pages.PAGE_SIZE < spec.align()) {
                throw new UsageException(
                        "namespace "
                                + spec.name()
                                + ": its dax region of "
                                + layout.npfns() * Pages.PAGE_SIZE
                                + " bytes holds no whole "
                                + spec.align()
                                + "-byte unit; accepted: a larger namespace or a smaller"
                                + " alignment");
            }
        } catch (ZoneDeviceException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
