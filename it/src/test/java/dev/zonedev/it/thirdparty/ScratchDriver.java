package dev.zonedev.it.thirdparty;

import com.google.auto.service.AutoService;
import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.BadSectors;
import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DaxMapping;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.PageFaults;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pages;
import dev.zonedev.api.Pfn;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;
import dev.zonedev.api.pfn.PagemapControl;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A third-party driver written against {@code api} alone (not shipped): it binds a namespace
 * created with {@code driver=scratch}, registers all of it as device pages with no info block, and
 * exposes one dax device over it. It shows the smallest driver that keeps every promise of the dax
 * SPI; the platform discovers it with ServiceLoader like the shipped ones.
 *
 * <p>Its device also offers two capabilities of the {@code api}, and so gets the matching {@code
 * zonedev} features as a shipped driver does: {@link PageFaults} (faults of the namespace
 * alignment, the scenario action {@code fault} and the boot workload) and {@link BadSectors} (the
 * scenario action {@code badblocks}; accesses stop at a bad sector).
 */
@AutoService(NamespaceDriver.class)
public final class ScratchDriver implements NamespaceDriver {
    @Override
    public String name() {
        return "scratch";
    }

    @Override
    public int apiVersion() {
        return ZonedevApi.VERSION;
    }

    @Override
    public boolean supports(NamespaceDevice device) {
        return name().equals(device.options().get("driver"));
    }

    @Override
    public BoundNamespace bind(NamespaceDevice device, DriverContext context) {
        FaultSize.ofBytes(device.align()); // faults are of the alignment: refuse one no fault has
        DevPagemap pagemap =
                context.memremapPages(
                        new PagemapRequest(device.range(), device.nid(), Optional.empty(), true));
        ScratchDevice dax = new ScratchDevice(device, pagemap);
        MemmapControl control = new PagemapControl(device.name(), pagemap, dax::enabled);
        return new BoundNamespace() {
            @Override
            public List<DaxDevice> daxDevices() {
                return List.of(dax);
            }

            @Override
            public Optional<MemmapControl> memmapControl() {
                return Optional.of(control);
            }

            @Override
            public void close() {
                dax.disable();
                pagemap.close();
            }
        };
    }

    /**
     * The one dax device: pages map one to one onto the namespace; faults of the namespace
     * alignment; bad sectors in a bit set, guarded by itself.
     */
    static final class ScratchDevice implements DaxDevice, PageFaults, BadSectors {
        private static final long SECTORS_PER_PAGE = Pages.PAGE_SIZE / BadSectorRange.SECTOR_SIZE;
        private final NamespaceDevice device;
        private final DevPagemap pagemap;
        private final BitSet badSectors = new BitSet();
        private volatile boolean enabled = true;

        ScratchDevice(NamespaceDevice device, DevPagemap pagemap) {
            this.device = device;
            this.pagemap = pagemap;
        }

        boolean enabled() {
            return enabled;
        }

        void disable() {
            enabled = false;
        }

        @Override
        public String name() {
            return "scratch-" + device.name();
        }

        @Override
        public long nrPages() {
            return device.range().nrPages();
        }

        @Override
        public DirectAccess directAccess(long pgoff, long nrPages, boolean wantPfn) {
            if (!enabled) {
                throw ZoneDeviceException.noDevice(name() + " is disabled");
            }
            if (nrPages <= 0) {
                throw ZoneDeviceException.invalid(
                        "length " + nrPages + " pages; accepted: 1 or more");
            }
            if (pgoff < 0 || pgoff >= nrPages()) {
                throw ZoneDeviceException.outOfRange(
                        "page offset "
                                + pgoff
                                + " is outside "
                                + name()
                                + "; accepted: 0 to "
                                + (nrPages() - 1));
            }
            long available = goodPages(pgoff, Math.min(nrPages, nrPages() - pgoff));
            Optional<Pfn> pfn = Optional.empty();
            if (wantPfn) {
                long first = device.range().startPfn() + pgoff;
                pagemap.memmapSync(first, available);
                pfn = Optional.of(Pfn.devMap(first));
            }
            return new DirectAccess(
                    device.memory().asSlice(pgoff * 4096, available * 4096), available, pfn);
        }

        @Override
        public Optional<PageFaults> pageFaults() {
            return Optional.of(this);
        }

        @Override
        public Optional<BadSectors> badSectors() {
            return Optional.of(this);
        }

        @Override
        public long alignment() {
            return device.align();
        }

        @Override
        public DaxMapping fault(long offset, FaultSize size) {
            ZoneDeviceException.requirePresent(size, "size");
            if (!enabled) {
                throw ZoneDeviceException.noDevice(
                        "SIGBUS: fault on " + name() + ", which is disabled");
            }
            if (size.bytes() != alignment()) {
                throw ZoneDeviceException.invalid(
                        "SIGBUS: "
                                + size
                                + " fault on "
                                + name()
                                + "; accepted: "
                                + FaultSize.ofBytes(alignment())
                                + " faults only");
            }
            long bytes = nrPages() * Pages.PAGE_SIZE;
            if (offset < 0 || offset % size.bytes() != 0) {
                throw ZoneDeviceException.invalid(
                        "SIGBUS: fault at offset "
                                + offset
                                + " of "
                                + name()
                                + "; accepted: multiples of "
                                + size.bytes());
            }
            if (offset > bytes - size.bytes()) {
                throw ZoneDeviceException.outOfRange(
                        "SIGBUS: fault at offset "
                                + offset
                                + " runs past the end of "
                                + name()
                                + "; accepted: 0 to "
                                + (bytes - size.bytes())
                                + " in steps of "
                                + size.bytes());
            }
            long first = device.range().startPfn() + offset / Pages.PAGE_SIZE;
            pagemap.memmapSync(first, size.pages());
            if (!enabled) {
                throw ZoneDeviceException.noDevice(
                        "SIGBUS: fault on " + name() + ", which is disabled");
            }
            return new DaxMapping(offset, Pfn.devMap(first), size);
        }

        @Override
        public void add(BadSectorRange range) {
            checkInside(range);
            synchronized (badSectors) {
                badSectors.set(Math.toIntExact(range.sector()), Math.toIntExact(range.end()));
            }
        }

        @Override
        public void clear(BadSectorRange range) {
            checkInside(range);
            synchronized (badSectors) {
                badSectors.clear(Math.toIntExact(range.sector()), Math.toIntExact(range.end()));
            }
        }

        @Override
        public List<BadSectorRange> list() {
            List<BadSectorRange> runs = new ArrayList<>();
            synchronized (badSectors) {
                for (int s = badSectors.nextSetBit(0);
                        s >= 0;
                        s = badSectors.nextSetBit(badSectors.nextClearBit(s))) {
                    runs.add(new BadSectorRange(s, badSectors.nextClearBit(s) - s));
                }
            }
            return List.copyOf(runs);
        }

        private void checkInside(BadSectorRange range) {
            long sectors = nrPages() * SECTORS_PER_PAGE;
            if (range.end() > sectors || range.end() > Integer.MAX_VALUE) {
                throw ZoneDeviceException.outOfRange(
                        "bad sector range "
                                + range
                                + " runs past "
                                + name()
                                + "; accepted: sectors 0 to "
                                + (Math.min(sectors, Integer.MAX_VALUE) - 1));
            }
        }

        /** Pages from {@code pgoff} before the first bad sector; none is an I/O error. */
        private long goodPages(long pgoff, long count) {
            long start = pgoff * SECTORS_PER_PAGE;
            long bad;
            synchronized (badSectors) {
                bad = start > Integer.MAX_VALUE ? -1 : badSectors.nextSetBit((int) start);
            }
            if (bad < 0 || bad >= start + count * SECTORS_PER_PAGE) {
                return count;
            }
            if (bad < start + SECTORS_PER_PAGE) {
                throw ZoneDeviceException.ioError(
                        name() + ": page " + pgoff + " holds bad sector " + bad);
            }
            return (bad - start) / SECTORS_PER_PAGE;
        }
    }
}
