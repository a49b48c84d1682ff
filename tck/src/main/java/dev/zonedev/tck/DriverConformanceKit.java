package dev.zonedev.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.BadSectors;
import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DaxMapping;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.PageFaults;
import dev.zonedev.api.Pages;
import dev.zonedev.api.Pfn;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver conformance kit: extend it, hand it your driver and a namespace spec it binds, and
 * JUnit checks every promise of the dax SPI on the real engine (x86_64, asynchronous): bounds and
 * error codes, no pfn before its struct pages are initialized, the no-pfn path never waits,
 * concurrent access from many threads, behaviour during and after teardown, {@code memmap_state},
 * and the promises of the capabilities a device offers ({@link PageFaults}, {@link BadSectors}; a
 * device that offers none passes those checks).
 */
public abstract class DriverConformanceKit {
    protected static final long MIB = 1L << 20;
    private Platform platform;

    /** A fresh instance of the driver under test. */
    protected abstract NamespaceDriver driver();

    /** A spec of {@code size} bytes that {@link #driver()} binds. */
    protected abstract NamespaceSpec spec(String name, long size);

    /**
     * The memmap strategy the engine runs ({@link EngineConfig#DEFAULT_STRATEGY} unless
     * overridden), so that the kit can run once per strategy.
     */
    protected String strategy() {
        return EngineConfig.DEFAULT_STRATEGY;
    }

    /** The engine configuration; x86_64 with two workers and {@link #strategy()} by default. */
    protected EngineConfig config() {
        return EngineConfig.defaults().withArch("x86_64").withStrategy(strategy()).withWorkers(2);
    }

    /**
     * Holds the background back when the strategy initializes pfn requests in the foreground; with
     * a strategy that makes them wait for its pass, holding it would make them wait for good, so
     * the background runs then.
     */
    private void holdBackgroundIfForegroundSync() {
        if (platform.engine().strategy().foregroundSync()) {
            platform.engine().testing().backgroundGate().hold();
        }
    }

    @BeforeEach
    void boot() {
        platform = new Platform(Engine.create(config()), List.of(driver()));
    }

    @AfterEach
    void shutdown() {
        if (platform != null) {
            platform.close();
        }
    }

    protected Platform platform() {
        return platform;
    }

    private Namespace create(String name, long size) {
        return platform.create(spec(name, size));
    }

    private DevicePagemap pagemapOf(Pfn pfn) {
        return platform.engine().memremap().pagemapOf(pfn.value()).orElseThrow();
    }

    @Test
    void passesTheApiHandshake() {
        HandshakeCheck.assertAccepted("driver", driver());
    }

    @Test
    void boundsAndErrorCodes() {
        DaxDevice dax = create("bounds", 64 * MIB).daxDevices().getFirst();
        assertCode(ErrorCode.OUT_OF_RANGE, () -> dax.directAccess(-1, 1, false));
        assertCode(ErrorCode.OUT_OF_RANGE, () -> dax.directAccess(dax.nrPages(), 1, false));
        assertCode(ErrorCode.OUT_OF_RANGE, () -> dax.directAccess(Long.MAX_VALUE, 1, true));
        assertCode(ErrorCode.INVALID, () -> dax.directAccess(0, 0, false));
        assertCode(ErrorCode.INVALID, () -> dax.directAccess(0, -5, true));
        DirectAccess last = dax.directAccess(dax.nrPages() - 1, 10, false);
        assertEquals(1, last.availablePages(), "the last page has nothing after it");
        assertTrue(last.kernelAddress().byteSize() >= 4096);
    }

    @Test
    void noPfnBeforeItsStructPagesAreInitialized() {
        holdBackgroundIfForegroundSync();
        DaxDevice dax = create("pfn", 256 * MIB).daxDevices().getFirst();
        Random random = new Random(11);
        for (int i = 0; i < 64; i++) {
            long pgoff = (long) (random.nextDouble() * dax.nrPages());
            DirectAccess access = dax.directAccess(pgoff, 1 + random.nextInt(600), true);
            Pfn pfn =
                    access.pfn().orElseThrow(() -> new AssertionError("asked for a pfn, got none"));
            assertTrue(pfn.hasPage(), "a device pfn has a struct page");
            DevicePagemap pagemap = pagemapOf(pfn);
            for (long p = pfn.value(); p < pfn.value() + access.availablePages(); p++) {
                assertTrue(
                        pagemap.isPageInitialized(p),
                        "pfn " + p + " reached the consumer uninitialized");
            }
        }
    }

    @Test
    void theNoPfnPathNeverWaits() {
        platform.engine().testing().backgroundGate().hold();
        Namespace ns = create("nopfn", 256 * MIB);
        DaxDevice dax = ns.daxDevices().getFirst();
        for (long pgoff = 0; pgoff < dax.nrPages(); pgoff += 997) {
            DirectAccess access = dax.directAccess(pgoff, 8, false);
            assertTrue(access.pfn().isEmpty(), "no pfn unless asked");
            access.kernelAddress().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1);
        }
        for (DevicePagemap p : platform.engine().memremap().livePagemaps()) {
            assertEquals(
                    0,
                    p.pagesInitializedInForeground(),
                    "the no-pfn path initialized struct pages");
        }
    }

    @Test
    void concurrentAccessFromManyThreads() throws Exception {
        DaxDevice dax = create("many", 256 * MIB).daxDevices().getFirst();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                futures.add(
                        pool.submit(
                                () -> {
                                    Random random = new Random(seed);
                                    start.await();
                                    for (int i = 0; i < 100; i++) {
                                        long pgoff = (long) (random.nextDouble() * dax.nrPages());
                                        DirectAccess a =
                                                dax.directAccess(
                                                        pgoff,
                                                        1 + random.nextInt(300),
                                                        random.nextBoolean());
                                        a.pfn()
                                                .ifPresent(
                                                        pfn ->
                                                                assertTrue(
                                                                        pagemapOf(pfn)
                                                                                .isPageInitialized(
                                                                                        pfn
                                                                                                .value())));
                                    }
                                    return null;
                                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (DevicePagemap p : platform.engine().memremap().livePagemaps()) {
            p.sync();
            assertTrue(p.audit().ok(), "every struct page once and right");
        }
    }

    @Test
    void teardownDuringAndAfterInitialization() {
        Namespace ns = create("teardown", 512 * MIB);
        DaxDevice dax = ns.daxDevices().getFirst();
        DevicePagemap pagemap = pagemapOf(dax.directAccess(0, 1, true).pfn().orElseThrow());
        platform.disable("teardown");
        assertCode(ErrorCode.NO_DEVICE, () -> dax.directAccess(0, 1, false));
        assertCode(ErrorCode.NO_DEVICE, () -> dax.directAccess(0, 1, true));
        assertTrue(pagemap.closed(), "the pagemap was torn down");
        assertEquals(0, pagemap.referenceCount(), "every pgmap reference returned");
        assertFalse(platform.engine().memremap().livePagemaps().contains(pagemap));
        platform.enable("teardown");
        DirectAccess again = ns.daxDevices().getFirst().directAccess(5, 1, true);
        assertTrue(
                pagemapOf(again.pfn().orElseThrow())
                        .isPageInitialized(again.pfn().orElseThrow().value()));
    }

    @Test
    void memmapStateReadsActiveThenIdleAndAcceptsOnlySync() {
        platform.engine().testing().backgroundGate().hold();
        Namespace ns = create("state", 128 * MIB);
        MemmapControl control =
                ns.memmapControl().orElseThrow(() -> new AssertionError("no memmap_state"));
        assertEquals(MemmapState.ACTIVE, control.memmapState());
        assertCode(ErrorCode.INVALID, () -> control.write("idle"));
        assertCode(ErrorCode.INVALID, () -> control.write(""));
        if (!platform.engine().strategy().foregroundSync()) {
            platform.engine().testing().backgroundGate().release(); // sync waits for the pass then
        }
        control.write("sync");
        assertEquals(MemmapState.IDLE, control.memmapState());
        platform.disable("state");
        assertCode(ErrorCode.NO_DEVICE, control::sync);
    }

    @Test
    void faultsOfASizeWhenTheDeviceOffersThem() {
        holdBackgroundIfForegroundSync();
        Namespace ns = create("faults", 64 * MIB);
        List<PageFaults> offered = new ArrayList<>();
        for (DaxDevice dax : ns.daxDevices()) {
            if (dax.pageFaults().isEmpty()) {
                continue;
            }
            PageFaults faults = dax.pageFaults().get();
            offered.add(faults);
            FaultSize size = FaultSize.ofBytes(faults.alignment());
            long last = (dax.nrPages() * Pages.PAGE_SIZE / size.bytes() - 1) * size.bytes();
            for (long offset : new long[] {0, last}) {
                DaxMapping m = faults.fault(offset, size);
                assertEquals(offset, m.offset());
                assertEquals(size, m.size());
                assertTrue(m.pfn().hasPage(), "a fault's pfn has a struct page");
                DevicePagemap pagemap = pagemapOf(m.pfn());
                for (long p = m.pfn().value(); p < m.pfn().value() + m.pages(); p++) {
                    assertTrue(
                            pagemap.isPageInitialized(p),
                            "pfn " + p + " of a fault reached the consumer" + " uninitialized");
                }
                assertEquals(
                        m,
                        faults.fault(offset, size),
                        "faulting an offset again gives the same answer");
            }
            assertCode(ErrorCode.OUT_OF_RANGE, () -> faults.fault(last + size.bytes(), size));
            assertCode(ErrorCode.INVALID, () -> faults.fault(-size.bytes(), size));
            if (size != FaultSize.PTE) {
                assertCode(ErrorCode.INVALID, () -> faults.fault(Pages.PAGE_SIZE, size));
            }
            for (FaultSize other : FaultSize.values()) {
                if (other != size) {
                    assertCode(ErrorCode.INVALID, () -> faults.fault(0, other));
                }
            }
        }
        platform.disable("faults");
        for (PageFaults faults : offered) {
            assertCode(
                    ErrorCode.NO_DEVICE,
                    () -> faults.fault(0, FaultSize.ofBytes(faults.alignment())));
        }
    }

    @Test
    void badSectorsWhenTheDeviceKeepsThem() {
        Namespace ns = create("bad", 64 * MIB);
        Set<DaxDevice> devices = new LinkedHashSet<>(ns.daxDevices());
        ns.bound().flatMap(BoundNamespace::blockDevice).ifPresent(devices::add);
        long perPage = Pages.PAGE_SIZE / BadSectorRange.SECTOR_SIZE;
        for (DaxDevice dax : devices) {
            if (dax.badSectors().isEmpty()) {
                continue;
            }
            BadSectors bad = dax.badSectors().get();
            List<BadSectorRange> before = bad.list();
            BadSectorRange inPage5 = new BadSectorRange(5 * perPage + 3, 1);
            bad.add(inPage5);
            assertTrue(
                    bad.list().stream()
                            .anyMatch(
                                    r ->
                                            r.sector() <= inPage5.sector()
                                                    && r.end() > inPage5.sector()),
                    "the list holds an added sector: " + bad.list());
            assertCode(ErrorCode.IO_ERROR, () -> dax.directAccess(5, 1, false));
            assertEquals(
                    3,
                    dax.directAccess(2, 10, false).availablePages(),
                    "an access stops before a bad sector");
            bad.clear(inPage5);
            assertEquals(before, bad.list(), "clear takes back what add did");
            assertEquals(1, dax.directAccess(5, 1, false).availablePages());
            assertCode(
                    ErrorCode.OUT_OF_RANGE,
                    () -> bad.add(new BadSectorRange(dax.nrPages() * perPage, 1)));
            assertEquals(before, bad.list(), "a refused change changes nothing");
        }
    }

    private static void assertCode(ErrorCode code, Runnable call) {
        ZoneDeviceException e = assertThrows(ZoneDeviceException.class, call::run);
        assertEquals(code, e.code(), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
