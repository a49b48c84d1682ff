package dev.zonedev.core;

import dev.zonedev.api.Arch;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.PagemapRequest;
import java.util.concurrent.ExecutorService;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * One zonedev engine: an arch, a reserved vmemmap, the physical address map and the memremap
 * service, wired by Dagger from an {@link EngineConfig}. Thread-safe. Closing it tears down every
 * pagemap still registered, then releases the vmemmap.
 */
@Singleton
public final class Engine implements AutoCloseable {
    private final EngineConfig config;
    private final Arch arch;
    private final MemmapStrategy strategy;
    private final Memremap memremap;
    private final PhysicalMemory physicalMemory;
    private final FaultInjector faults;
    private final FailureLog failures;
    private final VmemmapSpace space;
    private final ExecutorService executor;
    private final BackgroundGate gate;
    private final EngineWarmUp.Result warmUp;
    private final EngineTesting testing;
    private final NumaTopology numa;
    private boolean closed;

    @Inject
    Engine(
            EngineConfig config,
            Arch arch,
            MemmapStrategy strategy,
            Memremap memremap,
            PhysicalMemory physicalMemory,
            FaultInjector faults,
            FailureLog failures,
            VmemmapSpace space,
            PageTable pageTable,
            SectionRegistry sections,
            Hotplug hotplug,
            ExecutorService executor,
            BackgroundGate gate,
            NumaTopology numa) {
        this.numa = numa;
        this.gate = gate;
        this.config = config;
        this.arch = arch;
        this.strategy = strategy;
        this.memremap = memremap;
        this.physicalMemory = physicalMemory;
        this.faults = faults;
        this.failures = failures;
        this.space = space;
        this.executor = executor;
        this.testing = new EngineTesting(this, pageTable, sections, hotplug);
        this.warmUp = EngineWarmUp.ensure(config);
        EngineWarmUp.prestart(executor, Math.min(2 * config.workers() + 2, 16));
    }

    /**
     * What the JVM's engine warm-up did (once per JVM, before the first engine was usable): how
     * long it took and whether the page loop reached compiled speed.
     */
    public EngineWarmUp.Result warmUp() {
        return warmUp;
    }

    /** The reserved vmemmap, for the warm-up. */
    VmemmapSpace space() {
        return space;
    }

    /**
     * Assembles an engine.
     *
     * @throws dev.zonedev.api.ZoneDeviceException invalid when the arch is unknown, or when the
     *     physical address space needs section numbers wider than a struct page's flags hold
     *     ({@link dev.zonedev.api.PageFlags#checkSections}); nothing is reserved then
     */
    public static Engine create(EngineConfig config) {
        return DaggerEngineComponent.factory().create(config).engine();
    }

    public EngineConfig config() {
        return config;
    }

    /**
     * The NUMA topology this engine places work on ({@link EngineConfig#nodes()}); a strategy asks
     * it to place a thread on a namespace's node ({@link NumaTopology#placeCurrentThread}).
     */
    public NumaTopology numa() {
        return numa;
    }

    /** The selected arch. */
    public Arch arch() {
        return arch;
    }

    /** The selected memmap strategy. */
    public MemmapStrategy strategy() {
        return strategy;
    }

    /**
     * The memremap service, which is also the {@link dev.zonedev.api.DriverContext} drivers get.
     */
    public Memremap memremap() {
        return memremap;
    }

    /** Shorthand for {@code memremap().memremapPages(request)}. */
    public DevicePagemap memremapPages(PagemapRequest request) {
        return memremap.memremapPages(request);
    }

    /** The physical address map where device memory is registered. */
    PhysicalMemory physicalMemory() {
        return physicalMemory;
    }

    /** Fault injection for the vmemmap levels and altmaps. */
    FaultInjector faults() {
        return faults;
    }

    /** The gate that holds background memmap work back. */
    BackgroundGate backgroundGate() {
        return gate;
    }

    /** Failures of background work so far. */
    public FailureLog failures() {
        return failures;
    }

    /**
     * This engine's test-only side (fault injection, the background gate, lock and allocation
     * snapshots, the memmap): for tests, the TCK, scenarios, soak runs and benchmarks only, never
     * for production code. Each call returns the same object.
     */
    public EngineTesting testing() {
        return testing;
    }

    /**
     * Tears down (or finishes tearing down) every live pagemap, stops the async threads and
     * releases the vmemmap; idempotent. Works from an interrupted thread (the flag stays set).
     *
     * @throws dev.zonedev.api.ZoneDeviceException the first pagemap teardown that could not
     *     complete (the others were still tried); the vmemmap then stays reserved, since a pagemap
     *     may still use it, and a later close tries again
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        gate.release();
        RuntimeException failed = null;
        for (DevicePagemap p : memremap.livePagemaps()) {
            try {
                p.close();
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        closed = true;
        executor.shutdownNow();
        space.close();
    }
}
