package dev.zonedev.core;

import dev.zonedev.api.Arch;
import dev.zonedev.api.PageFlags;
import dev.zonedev.api.ZoneDeviceException;
import java.util.ArrayList;
import java.util.List;

/**
 * How an engine is assembled. Immutable; build one from {@link #defaults()} with the {@code with*}
 * methods.
 *
 * @param arch name of the arch plugin to use
 * @param strategy name of the memmap strategy plugin ({@link dev.zonedev.api.MemmapStrategy}) to
 *     use, checked against the discovered ones by {@link Engine#create}
 * @param workers background memmap workers per pagemap, 1 to 1024
 * @param rangesPerWorker sub-ranges per worker at least (fewer only for tiny devices), 1 to 2^20
 * @param maxPhysicalBytes one past the highest physical address; sizes the vmemmap reservation (64
 *     bytes of address space per 4 KiB), a power of two from 1 GiB to 256 TiB; {@link
 *     Engine#create} further bounds it to 2^20 sections of the arch ({@link
 *     dev.zonedev.api.PageFlags#checkSections}), e.g. 128 TiB with 128 MiB sections
 * @param extraArches arch instances to offer besides those {@link java.util.ServiceLoader} finds
 * @param pluginLoader class loader the plugins are looked up in
 * @param pageInit how struct pages are written ({@link PageInit#FIELDS} by default)
 * @param nodes the NUMA topology ({@link NumaTopology}): 0 for the machine's (the default), 1 to
 *     1024 for a simulated one of that many nodes
 */
public record EngineConfig(
        String arch,
        String strategy,
        int workers,
        int rangesPerWorker,
        long maxPhysicalBytes,
        List<Arch> extraArches,
        ClassLoader pluginLoader,
        PageInit pageInit,
        int nodes) {
    /** The default strategy: the seed's N workers over static slices, with foreground sync. */
    public static final String DEFAULT_STRATEGY = "seed";

    /** The seed's sub-ranges per worker. */
    public static final int DEFAULT_RANGES_PER_WORKER = 128;

    /** Default physical address space: 64 TiB (a 1 TiB vmemmap reservation). */
    public static final long DEFAULT_MAX_PHYSICAL_BYTES = 64L << 40;

    static final int MAX_WORKERS = 1024;
    static final int MAX_RANGES_PER_WORKER = 1 << 20;
    static final long MIN_PHYSICAL_BYTES = 1L << 30;

    /** The largest accepted physical address space: 256 TiB. */
    public static final long MAX_PHYSICAL_BYTES = 256L << 40;

    public EngineConfig {
        ZoneDeviceException.requirePresent(arch, "arch");
        ZoneDeviceException.requirePresent(strategy, "strategy");
        if (strategy.isBlank()) {
            throw ZoneDeviceException.invalid(
                    "strategy name is blank; accepted: the name of a discovered strategy");
        }
        extraArches = List.copyOf(ZoneDeviceException.requirePresent(extraArches, "extraArches"));
        ZoneDeviceException.requirePresent(pluginLoader, "pluginLoader");
        ZoneDeviceException.requirePresent(pageInit, "pageInit");
        if (nodes < 0 || nodes > PageFlags.MAX_NODES) {
            throw ZoneDeviceException.invalid(
                    "nodes "
                            + nodes
                            + " is out of range; accepted: 0 (the machine's) or 1 to "
                            + PageFlags.MAX_NODES
                            + " (simulated)");
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw ZoneDeviceException.invalid(
                    "workers " + workers + " is out of range; accepted: 1 to " + MAX_WORKERS);
        }
        if (rangesPerWorker < 1 || rangesPerWorker > MAX_RANGES_PER_WORKER) {
            throw ZoneDeviceException.invalid(
                    "ranges per worker "
                            + rangesPerWorker
                            + " is out of range; accepted: 1 to "
                            + MAX_RANGES_PER_WORKER);
        }
        if (maxPhysicalBytes < MIN_PHYSICAL_BYTES
                || maxPhysicalBytes > MAX_PHYSICAL_BYTES
                || Long.bitCount(maxPhysicalBytes) != 1) {
            throw ZoneDeviceException.invalid(
                    "max physical address "
                            + maxPhysicalBytes
                            + " is not valid; accepted: a"
                            + " power of two from "
                            + MIN_PHYSICAL_BYTES
                            + " (1 GiB) to "
                            + MAX_PHYSICAL_BYTES
                            + " (256 TiB)");
        }
    }

    /**
     * x86_64, the seed strategy, one worker per available core, 128 sub-ranges per worker, 64 TiB,
     * {@link PageInit#FIELDS}.
     */
    public static EngineConfig defaults() {
        return new EngineConfig(
                "x86_64",
                DEFAULT_STRATEGY,
                Runtime.getRuntime().availableProcessors(),
                DEFAULT_RANGES_PER_WORKER,
                DEFAULT_MAX_PHYSICAL_BYTES,
                List.of(),
                EngineConfig.class.getClassLoader(),
                PageInit.FIELDS,
                0);
    }

    public EngineConfig withArch(String name) {
        return new EngineConfig(
                name,
                strategy,
                workers,
                rangesPerWorker,
                maxPhysicalBytes,
                extraArches,
                pluginLoader,
                pageInit,
                nodes);
    }

    /** Selects the memmap strategy named {@code name}. */
    public EngineConfig withStrategy(String name) {
        return new EngineConfig(
                arch,
                name,
                workers,
                rangesPerWorker,
                maxPhysicalBytes,
                extraArches,
                pluginLoader,
                pageInit,
                nodes);
    }

    public EngineConfig withWorkers(int count) {
        return new EngineConfig(
                arch,
                strategy,
                count,
                rangesPerWorker,
                maxPhysicalBytes,
                extraArches,
                pluginLoader,
                pageInit,
                nodes);
    }

    public EngineConfig withRangesPerWorker(int count) {
        return new EngineConfig(
                arch,
                strategy,
                workers,
                count,
                maxPhysicalBytes,
                extraArches,
                pluginLoader,
                pageInit,
                nodes);
    }

    public EngineConfig withMaxPhysicalBytes(long bytes) {
        return new EngineConfig(
                arch,
                strategy,
                workers,
                rangesPerWorker,
                bytes,
                extraArches,
                pluginLoader,
                pageInit,
                nodes);
    }

    /** Offers {@code instance} besides the discovered arches and selects it. */
    public EngineConfig withArchInstance(Arch instance) {
        List<Arch> all = new ArrayList<>(extraArches);
        all.add(instance);
        return new EngineConfig(
                instance.name(),
                strategy,
                workers,
                rangesPerWorker,
                maxPhysicalBytes,
                all,
                pluginLoader,
                pageInit,
                nodes);
    }

    public EngineConfig withPluginLoader(ClassLoader loader) {
        return new EngineConfig(
                arch,
                strategy,
                workers,
                rangesPerWorker,
                maxPhysicalBytes,
                extraArches,
                loader,
                pageInit,
                nodes);
    }

    /** The same configuration with the page writer {@code writer}. */
    public EngineConfig withPageInit(PageInit writer) {
        return new EngineConfig(
                arch,
                strategy,
                workers,
                rangesPerWorker,
                maxPhysicalBytes,
                extraArches,
                pluginLoader,
                writer,
                nodes);
    }

    /**
     * The same configuration with the NUMA topology {@code count}: 0 for the machine's, N for a
     * simulated one of N nodes.
     */
    public EngineConfig withNodes(int count) {
        return new EngineConfig(
                arch,
                strategy,
                workers,
                rangesPerWorker,
                maxPhysicalBytes,
                extraArches,
                pluginLoader,
                pageInit,
                count);
    }
}
