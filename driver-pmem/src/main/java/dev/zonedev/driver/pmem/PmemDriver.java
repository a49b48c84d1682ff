package dev.zonedev.driver.pmem;

import com.google.auto.service.AutoService;
import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DevPagemap;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;
import dev.zonedev.api.pfn.InfoBlockKind;
import dev.zonedev.api.pfn.InfoBlockStore;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.api.pfn.PfnLayout;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pmem driver ({@code nd_pmem}): binds raw and fsdax namespaces.
 *
 * <ul>
 *   <li>raw: a {@link PmemDevice} over the whole namespace, no info block, no struct pages; asking
 *       it for a pfn fails.
 *   <li>fsdax: the info block is probed or written ({@link InfoBlockStore}), the whole namespace
 *       range is registered with {@link DriverContext#memremapPages} (async, with an altmap for
 *       {@code map=dev}), and a {@link PmemDevice} serves the data pages from the data offset.
 * </ul>
 *
 * Options: {@code map=mem|dev}, {@code relabel=true}, {@code uuid=}, and {@code badblocks=S+N,...}
 * (512-byte sectors from the first data byte). Other keys are ignored, as they may be meant for the
 * platform. Device names follow libnvdimm: {@code namespaceX.0} gives {@code pmemX}, {@code
 * namespaceX.Y} gives {@code pmemX.Y}. Stateless and thread-safe.
 */
@AutoService(NamespaceDriver.class)
public final class PmemDriver implements NamespaceDriver {
    /** Option listing bad sectors. */
    public static final String OPTION_BADBLOCKS = "badblocks";

    private static final Pattern NAMESPACE_NAME = Pattern.compile("namespace(\\d+)\\.(\\d+)");

    /** The driver as {@link java.util.ServiceLoader} creates it. */
    public PmemDriver() {}

    @Override
    public String name() {
        return "pmem";
    }

    @Override
    public int apiVersion() {

        return ZonedevApi.VERSION;
    }

    /** True for raw and fsdax namespaces. */
    @Override
    public boolean supports(NamespaceDevice device) {
        return device.mode() == NamespaceMode.RAW || device.mode() == NamespaceMode.FSDAX;
    }

    @Override
    public BoundNamespace bind(NamespaceDevice device, DriverContext context) {
        return switch (device.mode()) {
            case RAW -> bindRaw(device);
            case FSDAX -> bindFsdax(device, context);
            default ->
                    throw ZoneDeviceException.invalid(
                            device.name()
                                    + ": the pmem driver binds raw and fsdax"
                                    + " namespaces, not "
                                    + device.mode().text());
        };
    }

    private PmemNamespace bindRaw(NamespaceDevice device) {
        long size = device.range().size();
        if (device.memory().byteSize() < size) {
            throw ZoneDeviceException.invalid(
                    device.name()
                            + ": storage holds "
                            + device.memory().byteSize()
                            + " bytes, less than the namespace range of "
                            + size
                            + " bytes");
        }
        MemorySegment data = device.memory().asSlice(0, size / Pages.PAGE_SIZE * Pages.PAGE_SIZE);
        PmemDevice pmem =
                new PmemDevice(
                        deviceName(device),
                        data,
                        device.range().startPfn(),
                        Optional.empty(),
                        badblocks(device, data.byteSize()),
                        device.file());
        return new PmemNamespace(device, pmem, Optional.empty(), Optional.empty());
    }

    private PmemNamespace bindFsdax(NamespaceDevice device, DriverContext context) {
        PfnLayout.checkAlignment(device.name(), device.align());
        // Options that need no media are checked before the info block may be written.
        long dataBytesUpperBound = device.range().size();
        badblocks(device, dataBytesUpperBound);
        PfnInfoBlock block = InfoBlockStore.probeOrCreate(device, InfoBlockKind.FSDAX);
        PfnLayout layout = PfnLayout.of(block);
        MemorySegment data = device.memory().asSlice(block.dataOffset(), block.dataSize());
        Badblocks badblocks = badblocks(device, data.byteSize());
        DevPagemap pagemap =
                context.memremapPages(
                        new PagemapRequest(
                                device.range(), device.nid(), layout.altmap(device.range()), true));
        try {
            long firstPfn = layout.firstDataPfn(device.range());
            if (pagemap.firstDevicePfn() > firstPfn) {
                throw ZoneDeviceException.invalid(
                        device.name()
                                + ": the pagemap's first device pfn "
                                + pagemap.firstDevicePfn()
                                + " lies after the first data pfn "
                                + firstPfn
                                + "; the info block and the altmap disagree");
            }
            PmemDevice pmem =
                    new PmemDevice(
                            deviceName(device),
                            data,
                            firstPfn,
                            Optional.of(pagemap),
                            badblocks,
                            device.file());
            return new PmemNamespace(device, pmem, Optional.of(block), Optional.of(pagemap));
        } catch (RuntimeException e) {
            pagemap.close();
            throw e;
        }
    }

    private static Badblocks badblocks(NamespaceDevice device, long dataBytes) {
        try {
            return Badblocks.parse(
                    device.options().get(OPTION_BADBLOCKS), dataBytes / BadSectorRange.SECTOR_SIZE);
        } catch (ZoneDeviceException e) {
            throw new ZoneDeviceException(
                    e.code(),
                    device.name()
                            + ": option "
                            + OPTION_BADBLOCKS
                            + ": "
                            + e.getMessage().substring(e.code().errno().length() + 2),
                    e);
        }
    }

    /**
     * {@code pmemX} for {@code namespaceX.0}, {@code pmemX.Y} for {@code namespaceX.Y}, else {@code
     * pmem-<name>}.
     */
    static String deviceName(NamespaceDevice device) {
        Matcher m = NAMESPACE_NAME.matcher(device.name());
        if (m.matches()) {
            return "pmem" + m.group(1) + (m.group(2).equals("0") ? "" : "." + m.group(2));
        }
        return "pmem-" + device.name();
    }
}
