package dev.zonedev.core;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.Arch;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapStrategy;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

/**
 * Registers device pages and builds their memmap ({@code devm_memremap_pages}): asks the arch to
 * add the range asynchronously when the caller wants that, falls back to a synchronous add when the
 * arch answers would-block, then starts the memmap workers. An async add returns while the workers
 * run; a synchronous one returns once every page is initialized, by the same workers (which the
 * {@link BackgroundGate} does not hold: they are the caller's own work). An add over a range whose
 * earlier teardown stopped midway (an interrupt, a timeout) resumes that teardown first. Every
 * request is first admitted against the memory the process can use ({@link MemmapAdmission}).
 * Thread-safe.
 */
@Singleton
public final class Memremap implements DriverContext {
    private static final Duration SYNC_ADD_TIMEOUT = Duration.ofHours(1);

    private final Arch arch;
    private final Hotplug hotplug;
    private final VmemmapSpace space;
    private final SectionRegistry sections;
    private final EngineConfig config;
    private final MemmapStrategy strategy;
    private final AsyncDomain pagesDomain;
    private final BackgroundGate gate;
    private final FaultInjector faults;
    private final FailureLog failures;
    private final MemmapAdmission admission;
    private final NumaTopology numa;
    private final AtomicLong ids = new AtomicLong();
    private final Set<DevicePagemap> live = ConcurrentHashMap.newKeySet();

    @Inject
    Memremap(
            Arch arch,
            Hotplug hotplug,
            VmemmapSpace space,
            SectionRegistry sections,
            EngineConfig config,
            MemmapStrategy strategy,
            @Named("memmap_pages") AsyncDomain pagesDomain,
            BackgroundGate gate,
            FaultInjector faults,
            FailureLog failures,
            MemmapAdmission admission,
            NumaTopology numa) {
        this.numa = numa;
        this.admission = admission;
        this.faults = faults;
        this.failures = failures;
        this.gate = gate;
        this.arch = arch;
        this.hotplug = hotplug;
        this.space = space;
        this.sections = sections;
        this.config = config;
        this.strategy = strategy;
        this.pagesDomain = pagesDomain;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A well-formed request is first admitted by {@link MemmapAdmission}: a memmap that would
     * pin more RAM than the process can use is refused with {@link ErrorCode#OUT_OF_MEMORY} before
     * anything is added.
     */
    @Override
    public DevicePagemap memremapPages(PagemapRequest request) {
        hotplug.validate(
                request.range(), request.altmap()); // bad input is named as such, before memory
        numa.checkNode(request.range() + ": ", request.nid());
        finishStoppedTeardowns(
                request.range()); // what they still hold is given back before admission
        MemmapAdmission.Reservation reservation = admission.admit(request);
        try {
            return addAndInitialize(request, reservation);
        } catch (RuntimeException e) {
            reservation.release();
            throw e;
        }
    }

    private DevicePagemap addAndInitialize(
            PagemapRequest request, MemmapAdmission.Reservation reservation) {
        PhysicalRange range = request.range();
        AsyncAdd async = request.async() ? new AsyncAdd() : null;
        AddMemoryRequest add =
                new AddMemoryRequest(
                        request.nid(),
                        range,
                        request.altmap(),
                        Optional.ofNullable(async),
                        request.vmemmapShift());
        try {
            arch.addMemory(add, hotplug);
        } catch (ZoneDeviceException e) {
            if (e.code() != ErrorCode.WOULD_BLOCK || async == null) {
                throw e;
            }
            arch.addMemory(add.synchronous(), hotplug);
        }
        AddedRange added = hotplug.added(range);
        if (added == null) {
            throw new IllegalStateException(
                    "arch " + arch.name() + " returned from addMemory without adding " + range);
        }
        boolean ranAsync = async != null && async.added() == added;
        DevicePagemap pagemap =
                createPagemap(
                        added, request.altmap(), request.vmemmapShift(), ranAsync, reservation);
        if (!ranAsync) {
            awaitSynchronousInit(pagemap);
        }
        return pagemap;
    }

    private DevicePagemap createPagemap(
            AddedRange added,
            Optional<VmemAltmap> altmap,
            int order,
            boolean ranAsync,
            MemmapAdmission.Reservation reservation) {
        PhysicalRange range = added.range();
        long initStart = range.startPfn() + altmap.map(VmemAltmap::reserve).orElse(0L);
        long deviceStart = range.startPfn() + altmap.map(VmemAltmap::offset).orElse(0L);
        MemmapGeometry geometry =
                MemmapGeometry.of(
                        initStart,
                        deviceStart,
                        range.endPfn(),
                        config.workers(),
                        config.rangesPerWorker(),
                        sections.sectionPfnShift(),
                        order);
        long id = ids.incrementAndGet();
        MemmapInitializer initializer =
                new MemmapInitializer(
                        space.memmap(),
                        added,
                        geometry,
                        strategy,
                        id,
                        ranAsync ? gate : new BackgroundGate(),
                        faults,
                        failures,
                        compoundMemmap(added, order, deviceStart),
                        new Pageblocks(range.startPfn(), range.endPfn(), arch.pageblockOrder()),
                        config.pageInit(),
                        numa);
        DevicePagemap[] self = new DevicePagemap[1];
        DevicePagemap pagemap =
                new DevicePagemap(
                        id,
                        added,
                        initializer,
                        hotplug,
                        ranAsync,
                        deviceStart,
                        () -> {
                            live.remove(self[0]);
                            reservation.release();
                        });
        self[0] = pagemap;
        reservation.track(pagemap);
        live.add(pagemap);
        initializer.start(pagesDomain);
        return pagemap;
    }

    /**
     * The compound layout of a pagemap of compound pages of {@code 2^order} (null for order 0): the
     * whole compound pages among its device pages, with the added range's reused vmemmap if any.
     */
    private CompoundMemmap compoundMemmap(AddedRange added, int order, long deviceStart) {
        if (order == 0) {
            return null;
        }
        long size = 1L << order;
        return new CompoundMemmap(
                space.memmap(),
                order,
                (deviceStart + size - 1) & -size,
                added.range().endPfn() & -size,
                added.reuse());
    }

    private void awaitSynchronousInit(DevicePagemap pagemap) {
        try {
            pagemap.initializer().awaitWorkers(SYNC_ADD_TIMEOUT);
        } catch (InterruptedException e) {
            throw closeAfter(
                    pagemap,
                    Interrupts.interrupted(
                            "interrupted during a synchronous add of "
                                    + pagemap.range()
                                    + "; the range was removed",
                            e));
        }
        try {
            pagemap.sync(); // finishes what a failed worker left, or reports its failure
        } catch (RuntimeException e) {
            throw closeAfter(pagemap, e);
        }
    }

    /**
     * Tears {@code pagemap} down after {@code failure} (from an interrupted thread too); returns
     * the failure to throw.
     */
    private static RuntimeException closeAfter(DevicePagemap pagemap, RuntimeException failure) {
        try {
            pagemap.closeUninterruptibly();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /**
     * Resumes the teardown of every pagemap overlapping {@code range} whose teardown stopped
     * midway, so that its sections are released before the range is added again. A teardown under
     * way in another thread is left to that thread (the add then gets EEXIST).
     *
     * @throws ZoneDeviceException what the resumed teardown throws, naming the phases left
     */
    private void finishStoppedTeardowns(PhysicalRange range) {
        for (DevicePagemap p : live) {
            if (p.teardownStopped() && p.range().overlaps(range)) {
                p.close();
            }
        }
    }

    /**
     * Finishes, whatever interrupts come, every stopped teardown over {@code range}: the rollback
     * of a create whose driver gave up its pagemap midway, before the range's storage goes away.
     *
     * @throws ZoneDeviceException {@link ErrorCode#BUSY} when a wait timed out
     */
    void finishTeardownsForRollback(PhysicalRange range) {
        for (DevicePagemap p : live) {
            if (p.teardownStopped() && p.range().overlaps(range)) {
                p.closeUninterruptibly();
            }
        }
    }

    /** The live pagemap whose range holds {@code pfn}. */
    public Optional<DevicePagemap> pagemapOf(long pfn) {
        return live.stream().filter(p -> p.range().containsPfn(pfn)).findFirst();
    }

    /** The pagemaps not torn down yet. */
    public Set<DevicePagemap> livePagemaps() {
        return Set.copyOf(live);
    }
}
