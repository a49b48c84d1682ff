package dev.zonedev.cli;

import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PageFaults;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.Namespace;
import java.util.Optional;

/**
 * The look-ups the cli needs on a namespace, through the {@code api} capabilities alone (so a
 * third-party driver gets what a shipped one gets): its block or dax device, its pagemap, where its
 * memmap lives, its bad sectors, and one pfn-giving fault. Stateless.
 */
final class Targets {
    private Targets() {}

    /**
     * The engine pagemap registered for the namespace's range. The drivers register the whole
     * namespace range, so the range identifies it; empty for raw or disabled namespaces.
     */
    static Optional<DevicePagemap> pagemap(Engine engine, Namespace ns) {
        if (!ns.enabled()) {
            return Optional.empty();
        }
        return engine.memremap().livePagemaps().stream()
                .filter(p -> p.range().equals(ns.range()))
                .findFirst();
    }

    /**
     * The device of a namespace: {@code device} by name, else the pmem block device (raw included)
     * or the first dax device.
     *
     * @throws ZoneDeviceException NO_DEVICE when disabled or without such a device
     */
    static DaxDevice device(Namespace ns, String device) {
        BoundNamespace bound =
                ns.bound()
                        .orElseThrow(
                                () ->
                                        ZoneDeviceException.noDevice(
                                                "namespace " + ns.name() + " is disabled"));
        Optional<DaxDevice> block = bound.blockDevice();
        if (device != null) {
            if (block.isPresent() && block.get().name().equals(device)) {
                return block.get();
            }
            return ns.daxDevice(device);
        }
        if (block.isPresent()) {
            return block.get();
        }
        return bound.daxDevices().stream()
                .findFirst()
                .orElseThrow(
                        () ->
                                ZoneDeviceException.noDevice(
                                        "namespace " + ns.name() + " has no device"));
    }

    /** The name the namespace's {@code memmap_state} goes by: its device's, else its own. */
    static String deviceName(Namespace ns) {
        try {
            return device(ns, null).name();
        } catch (ZoneDeviceException e) {
            return ns.name();
        }
    }

    /** {@code mem}, {@code dev} or {@code none} (raw). */
    static String map(Namespace ns) {
        if (ns.mode() == NamespaceMode.RAW) {
            return "none";
        }
        Optional<String> map =
                ns.bound().flatMap(BoundNamespace::pfnInfoBlock).map(b -> b.map().text());
        if (map.isPresent()) {
            return map.get();
        }
        return ns.options().getOrDefault("map", "mem");
    }

    /** True when the namespace's device hands out pfns. */
    static boolean hasPfns(Namespace ns) {
        BoundNamespace b = ns.bound().orElse(null);
        return b != null
                && b.blockDevice()
                        .or(() -> b.daxDevices().stream().findFirst())
                        .map(DaxDevice::hasPfns)
                        .orElse(false);
    }

    /**
     * Units a workload spreads its faults over: alignment units of a device mapped in faults of a
     * size (device-dax), else pages (fsdax).
     */
    static long faultUnits(DaxDevice device) {
        Optional<PageFaults> faults = device.pageFaults();
        if (faults.isPresent()) {
            return device.nrPages() * Pages.PAGE_SIZE / faults.get().alignment();
        }
        return device.nrPages();
    }

    /** One fault that needs a pfn at unit {@code unit}; returns the pfn. */
    static long faultWithPfn(DaxDevice device, long unit) {
        Optional<PageFaults> faults = device.pageFaults();
        if (faults.isPresent()) {
            PageFaults f = faults.get();
            return f.fault(unit * f.alignment(), FaultSize.ofBytes(f.alignment())).pfn().value();
        }
        return device.directAccess(unit, 1, true).pfn().orElseThrow().value();
    }

    /**
     * The device of a namespace that keeps bad sectors (its block device, else its first dax
     * device), for bad blocks.
     */
    static DaxDevice badSectorsDevice(Namespace ns) {
        DaxDevice device = null;
        if (ns.enabled()) {
            try {
                device = device(ns, null);
            } catch (ZoneDeviceException e) {
                device =
                        null; // no device at all: refused below like any device without bad sectors
            }
        }
        if (device != null && device.badSectors().isPresent()) {
            return device;
        }
        String which =
                ns.mode() == NamespaceMode.DEVDAX || !ns.enabled()
                        ? ""
                        : " (its device "
                                + (device == null
                                        ? "is missing"
                                        : device.name() + " keeps no bad-sector list")
                                + ")";
        throw ZoneDeviceException.invalid(
                "namespace "
                        + ns.name()
                        + " is "
                        + (ns.enabled() ? "a " + ns.mode().text() + " namespace" : "disabled")
                        + which
                        + "; bad blocks apply to enabled raw and fsdax (pmem) namespaces"
                        + (which.isEmpty()
                                ? ""
                                : " and to devices whose driver keeps a bad-sector list"));
    }
}
