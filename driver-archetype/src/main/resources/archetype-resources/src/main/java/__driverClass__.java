package ${package};

import com.google.auto.service.AutoService;
import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pfn;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;
import dev.zonedev.api.pfn.PagemapControl;
import java.util.List;
import java.util.Optional;

/**
 * The {@code ${driverName}} namespace driver. It binds a namespace created with
 * {@code driver=${driverName}}, registers all of it as device pages and exposes one dax device
 * over it. Start from here: the conformance test beside it checks every promise of the SPI.
 */
@AutoService(NamespaceDriver.class)
public final class ${driverClass} implements NamespaceDriver {
    @Override
    public String name() {
        return "${driverName}";
    }

    @Override
    public int apiVersion() {
        return ZonedevApi.VERSION; // compiled in: the API this driver was built against
    }

    @Override
    public boolean supports(NamespaceDevice device) {
        return name().equals(device.options().get("driver"));
    }

    @Override
    public BoundNamespace bind(NamespaceDevice device, DriverContext context) {
        DevPagemap pagemap = context.memremapPages(new PagemapRequest(device.range(), device.nid(), Optional.empty(),
                true));
        Device dax = new Device(device, pagemap);
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

    /** The one dax device: its pages map one to one onto the namespace. */
    static final class Device implements DaxDevice {
        private final NamespaceDevice device;
        private final DevPagemap pagemap;
        private volatile boolean enabled = true;

        Device(NamespaceDevice device, DevPagemap pagemap) {
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
            return "${driverName}-" + device.name();
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
                throw ZoneDeviceException.invalid("length " + nrPages + " pages; accepted: 1 or more");
            }
            if (pgoff < 0 || pgoff >= nrPages()) {
                throw ZoneDeviceException.outOfRange("page offset " + pgoff + " is outside " + name()
                        + "; accepted: 0 to " + (nrPages() - 1));
            }
            long available = Math.min(nrPages, nrPages() - pgoff);
            Optional<Pfn> pfn = Optional.empty();
            if (wantPfn) {
                long first = device.range().startPfn() + pgoff;
                pagemap.memmapSync(first, available); // no pfn before its struct pages are initialized
                pfn = Optional.of(Pfn.devMap(first));
            }
            return new DirectAccess(device.memory().asSlice(pgoff * 4096, available * 4096), available, pfn);
        }
    }
}
