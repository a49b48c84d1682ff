package dev.zonedev.driver.devdax;

import com.google.auto.service.AutoService;
import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;
import dev.zonedev.api.pfn.InfoBlockKind;
import dev.zonedev.api.pfn.InfoBlockStore;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.api.pfn.PfnLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device-dax driver ({@code dax_pmem} + {@code device_dax}): binds devdax namespaces.
 *
 * <p>Bind checks the alignment (4 KiB, 2 MiB or 1 GiB), probes or writes the info block
 * with the dax signature ({@link InfoBlockStore}), registers the whole namespace range
 * with {@link DriverContext#memremapPages} (async, with an altmap for {@code map=dev}),
 * builds the {@link DaxRegion} over the data pages and carves its devices: one covering the
 * whole region, or, with option {@code devices=SIZE,SIZE,...} (bytes, or with a {@code K},
 * {@code M} or {@code G} suffix), one per size.
 *
 * <p>Options: {@code map=mem|dev}, {@code relabel=true} (switch an fsdax namespace to
 * devdax keeping its data), {@code uuid=}, {@code devices=}. Other keys are ignored, as
 * they may be meant for the platform. Stateless and thread-safe.
 */
@AutoService(NamespaceDriver.class)
public final class DevDaxDriver implements NamespaceDriver {
    /** Option listing the sizes of the devices to carve at bind. */
    public static final String OPTION_DEVICES = "devices";

    private static final Pattern NAMESPACE_NAME = Pattern.compile("namespace(\\d+)\\.(\\d+)");

    /** The driver as {@link java.util.ServiceLoader} creates it. */
    public DevDaxDriver() {
    }

    @Override
    public String name() {
        return "devdax";
    }


    @Override

    public int apiVersion() {

        return ZonedevApi.VERSION;

    }

    /** True for devdax namespaces. */
    @Override
    public boolean supports(NamespaceDevice device) {
        return device.mode() == NamespaceMode.DEVDAX;
    }

    @Override
    public BoundNamespace bind(NamespaceDevice device, DriverContext context) {
        String where = device.name();
        if (!supports(device)) {
            throw ZoneDeviceException.invalid(where + ": the devdax driver binds devdax namespaces, not "
                    + device.mode().text());
        }
        PfnLayout.checkAlignment(where, device.align());
        List<Long> sizes = parseSizes(where, device.options().get(OPTION_DEVICES));
        for (long size : sizes) {
            if (size % device.align() != 0) {
                throw ZoneDeviceException.invalid(where + ": option " + OPTION_DEVICES + " asks for a device of " + size
                        + " bytes; accepted: multiples of the alignment " + device.align());
            }
        }
        PfnInfoBlock block = InfoBlockStore.probeOrCreate(device, InfoBlockKind.DEVDAX);
        long usable = block.dataSize() / block.align() * block.align();
        if (usable == 0) {
            throw ZoneDeviceException.invalid(where + ": the region of " + block.dataSize() + " bytes holds no whole "
                    + block.align() + "-byte unit; accepted: a larger namespace or a smaller alignment");
        }
        PfnLayout layout = PfnLayout.of(block);
        DevPagemap pagemap = context.memremapPages(
                new PagemapRequest(device.range(), device.nid(), layout.altmap(device.range()), true));
        try {
            long firstPfn = layout.firstDataPfn(device.range());
            if (pagemap.firstDevicePfn() > firstPfn) {
                throw ZoneDeviceException.invalid(where + ": the pagemap's first device pfn " + pagemap.firstDevicePfn()
                        + " lies after the region's first pfn " + firstPfn + "; the info block and the altmap disagree");
            }
            DaxRegion region = new DaxRegion(deviceName(device),
                    device.memory().asSlice(block.dataOffset(), block.dataSize()),
                    device.range().start() + block.dataOffset(), block.align(), pagemap);
            if (sizes.isEmpty()) {
                region.createDevice(usable);
            } else {
                for (long size : sizes) {
                    region.createDevice(size);
                }
            }
            return new DevDaxNamespace(device, block, region, pagemap);
        } catch (RuntimeException e) {
            pagemap.close();
            throw e;
        }
    }

    /** {@code daxX.Y} for {@code namespaceX.Y}, else {@code dax-<name>}. */
    static String deviceName(NamespaceDevice device) {
        Matcher m = NAMESPACE_NAME.matcher(device.name());
        return m.matches() ? "dax" + m.group(1) + "." + m.group(2) : "dax-" + device.name();
    }

    /**
     * Parses {@code devices=}: comma-separated sizes, each bytes or a number with a
     * {@code K}, {@code M} or {@code G} suffix.
     *
     * @throws ZoneDeviceException {@code INVALID} naming the accepted form
     */
    static List<Long> parseSizes(String where, String option) {
        List<Long> sizes = new ArrayList<>();
        if (option == null || option.isBlank()) {
            return sizes;
        }
        for (String entry : option.split(",", -1)) {
            String t = entry.strip().toUpperCase(Locale.ROOT);
            long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                default -> 1;
            };
            String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
            try {
                long n = Long.parseLong(digits);
                if (n <= 0 || n > Long.MAX_VALUE / unit) {
                    throw new NumberFormatException(digits);
                }
                sizes.add(n * unit);
            } catch (NumberFormatException e) {
                throw ZoneDeviceException.invalid(where + ": option " + OPTION_DEVICES + "=" + option + " has a bad"
                        + " size \"" + entry + "\"; accepted: positive sizes in bytes or with K, M or G, comma-separated");
            }
        }
        return sizes;
    }
}
