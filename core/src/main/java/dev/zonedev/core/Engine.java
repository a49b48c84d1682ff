package dev.zonedev.core;

import dev.zonedev.api.Arch;
import dev.zonedev.api.PagemapRequest;
import java.util.concurrent.ExecutorService;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * One zonedev engine: an arch, a reserved vmemmap, the physical address map and the
 * memremap service, wired by Dagger from an {@link EngineConfig}. Thread-safe. Closing it
 * tears down every pagemap still registered, then releases the vmemmap.
 */
@Singleton
public final class Engine implements AutoCloseable {
    private final EngineConfig config;
    private final Arch arch;
    private final Memremap memremap;
    private final PhysicalMemory physicalMemory;
    private final FaultInjector faults;
    private final FailureLog failures;
    private final VmemmapSpace space;
    private final PageTable pageTable;
    private final ExecutorService executor;
    private final BackgroundGate gate;
    private boolean closed;

    @Inject
    Engine(EngineConfig config, Arch arch, Memremap memremap, PhysicalMemory physicalMemory, FaultInjector faults,
            FailureLog failures, VmemmapSpace space, PageTable pageTable, ExecutorService executor, BackgroundGate gate) {
        this.gate = gate;
        this.config = config;
        this.arch = arch;
        this.memremap = memremap;
        this.physicalMemory = physicalMemory;
        this.faults = faults;
        this.failures = failures;
        this.space = space;
        this.pageTable = pageTable;
        this.executor = executor;
        StructPage.warmUp();
    }

    /**
     * Assembles an engine.
     *
     * @throws dev.zonedev.api.ZoneDeviceException invalid when the arch is unknown
     */
    public static Engine create(EngineConfig config) {
        return DaggerEngineComponent.factory().create(config).engine();
    }

    public EngineConfig config() {
        return config;
    }

    /** The selected arch. */
    public Arch arch() {
        return arch;
    }

    /** The memremap service, which is also the {@link dev.zonedev.api.DriverContext} drivers get. */
    public Memremap memremap() {
        return memremap;
    }

    /** Shorthand for {@code memremap().memremapPages(request)}. */
    public DevicePagemap memremapPages(PagemapRequest request) {
        return memremap.memremapPages(request);
    }

    /** The physical address map where device memory is registered. */
    public PhysicalMemory physicalMemory() {
        return physicalMemory;
    }

    /** Fault injection for the vmemmap levels and altmaps. */
    public FaultInjector faults() {
        return faults;
    }

    /** The gate that holds background memmap work back. */
    public BackgroundGate backgroundGate() {
        return gate;
    }

    /** Failures of background work so far. */
    public FailureLog failures() {
        return failures;
    }

    /** True while a vmemmap page-table lock (pgd, p4d, pud) is held: invariant 6. */
    public boolean anyVmemmapLockHeld() {
        return pageTable.anyLockHeld();
    }

    /** Allocations made so far at a vmemmap level. */
    public long vmemmapAllocations(VmemmapLevel level) {
        return pageTable.allocations(level);
    }

    /** Tears down every live pagemap, stops the async threads and releases the vmemmap; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        gate.release();
        for (DevicePagemap p : memremap.livePagemaps()) {
            p.close();
        }
        executor.shutdownNow();
        space.close();
    }
}
