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
 * <p>Bind checks the alignment (4 KiB, 2 MiB or 1 GiB), probes or writes the info block with the
 * dax signature ({@link InfoBlockStore}), registers the whole namespace range with {@link
 * DriverContext#memremapPages} (async, with an altmap for {@code map=dev}, as compound pages of the
 * alignment for 2 MiB and 1 GiB: the kernel's {@code vmemmap_shift}), builds the {@link DaxRegion}
 * over the data pages and carves its devices: one covering the whole region, or, with option {@code
 * devices=SIZE,SIZE,...} (bytes, or with a binary suffix {@code K}, {@code M}, {@code G} or {@code
 * T}), one per size.
 *
 * <p>Options: {@code map=mem|dev}, {@code relabel=true} (switch an fsdax namespace to devdax
 * keeping its data), {@code uuid=}, {@code devices=}. Other keys are ignored, as they may be meant
 * for the platform. Stateless and thread-safe.
 */
@AutoService(NamespaceDriver.class)
public final class DevDaxDriver implements NamespaceDriver {
    /** Option listing the sizes of the devices to carve at bind. */
    public static final String OPTION_DEVICES = "devices";

    private static final Pattern NAMESPACE_NAME = Pattern.compile("namespace(\\d+)\\.(\\d+)");

    /**
     * A size as everywhere else in a spec: ASCII digits, an optional K/M/G/T with iB or B, or a
     * bare B.
     */
    private static final Pattern SIZE =
            Pattern.compile("([0-9]+)(?:([KMGT])(?:I?B)?|B)?", Pattern.CASE_INSENSITIVE);

    private static final long MAX_SIZE = 1L << 62;

    /** The driver as {@link java.util.ServiceLoader} creates it. */
    public DevDaxDriver() {}

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
            throw ZoneDeviceException.invalid(
                    where
                            + ": the devdax driver binds devdax namespaces, not "
                            + device.mode().text());
        }
        PfnLayout.checkAlignment(where, device.align());
        List<Long> sizes = parseSizes(where, device.options().get(OPTION_DEVICES));
        for (long size : sizes) {
            if (size % device.align() != 0) {
                throw ZoneDeviceException.invalid(
                        where
                                + ": option "
                                + OPTION_DEVICES
                                + " asks for a device of "
                                + size
                                + " bytes; accepted: multiples of the alignment "
                                + device.align());
            }
        }
        PfnInfoBlock block = InfoBlockStore.probeOrCreate(device, InfoBlockKind.DEVDAX);
        long usable = block.dataSize() / block.align() * block.align();
        if (usable == 0) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": the region of "
                            + block.dataSize()
                            + " bytes holds no whole "
                            + block.align()
                            + "-byte unit; accepted: a larger namespace or a smaller alignment");
        }
        PfnLayout layout = PfnLayout.of(block);
        DevPagemap pagemap =
                context.memremapPages(
                        new PagemapRequest(
                                device.range(),
                                device.nid(),
                                layout.altmap(device.range()),
                                true,
                                PagemapRequest.vmemmapShiftFor(block.align())));
        try {
            long firstPfn = layout.firstDataPfn(device.range());
            if (pagemap.firstDevicePfn() > firstPfn) {
                throw ZoneDeviceException.invalid(
                        where
                                + ": the pagemap's first device pfn "
                                + pagemap.firstDevicePfn()
                                + " lies after the region's first pfn "
                                + firstPfn
                                + "; the info block and the altmap disagree");
            }
            DaxRegion region =
                    new DaxRegion(
                            deviceName(device),
                            device.memory().asSlice(block.dataOffset(), block.dataSize()),
                            device.range().start() + block.dataOffset(),
                            block.align(),
                            pagemap);
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
     * Parses {@code devices=}: comma-separated sizes, each bytes or a number with a binary suffix
     * {@code K}, {@code M}, {@code G} or {@code T} (an {@code iB} or {@code B} may follow), as
     * sizes are written everywhere else in a namespace spec.
     *
     * @throws ZoneDeviceException {@code INVALID} naming the accepted form
     */
    static List<Long> parseSizes(String where, String option) {
        List<Long> sizes = new ArrayList<>();
        if (option == null || option.isBlank()) {
            return sizes;
        }
        for (String entry : option.split(",", -1)) {
            Matcher m =
                    SIZE.matcher(
                            entry.replaceAll(
                                    "^ +| +$",
                                    "")); // spaces only: strip() also eats control characters
            long size = -1;
            if (m.matches()) {
                int shift =
                        m.group(2) == null
                                ? 0
                                : 10 * (1 + "KMGT".indexOf(m.group(2).toUpperCase(Locale.ROOT)));
                try {
                    long n = Long.parseLong(m.group(1));
                    size = n > 0 && n <= MAX_SIZE >>> shift ? n << shift : -1;
                } catch (NumberFormatException e) {
                    // ASCII digits only, so more than a long holds: reported below
                }
            }
            if (size <= 0) {
                throw ZoneDeviceException.invalid(
                        where
                                + ": option "
                                + OPTION_DEVICES
                                + "="
                                + option
                                + " has a bad"
                                + " size \""
                                + entry
                                + "\"; accepted: sizes from 1 byte to 2^62, in bytes or with a binary"
                                + " suffix K, M, G or T (an iB or B may follow), comma-separated");
            }
            sizes.add(size);
        }
        return sizes;
    }
}
