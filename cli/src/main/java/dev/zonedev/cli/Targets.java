package dev.zonedev.cli;

import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.Namespace;
import dev.zonedev.driver.devdax.DevDaxDevice;
import dev.zonedev.driver.devdax.DevDaxNamespace;
import dev.zonedev.driver.devdax.FaultSize;
import dev.zonedev.driver.pmem.PmemDevice;
import dev.zonedev.driver.pmem.PmemNamespace;
import java.util.Optional;

/**
 * Driver-aware look-ups the cli needs and the {@code api} does not offer: a namespace's
 * block or dax device, its pagemap, where its memmap lives, and one pfn-giving fault.
 * Stateless.
 */
final class Targets {
    private Targets() {
    }

    /**
     * The engine pagemap registered for the namespace's range. The drivers register the whole
     * namespace range, so the range identifies it; empty for raw or disabled namespaces.
     */
    static Optional<DevicePagemap> pagemap(Engine engine, Namespace ns) {
        if (!ns.enabled()) {
            return Optional.empty();
        }
        return engine.memremap().livePagemaps().stream().filter(p -> p.range().equals(ns.range())).findFirst();
    }

    /**
     * The device of a namespace: {@code device} by name, else the pmem block device (raw
     * included) or the first dax device.
     *
     * @throws ZoneDeviceException NO_DEVICE when disabled or without such a device
     */
    static DaxDevice device(Namespace ns, String device) {
        BoundNamespace bound = ns.bound().orElseThrow(() -> ZoneDeviceException.noDevice("namespace " + ns.name()
                + " is disabled"));
        if (device != null) {
            if (bound instanceof PmemNamespace p && p.device().name().equals(device)) {
                return p.device();
            }
            return ns.daxDevice(device);
        }
        if (bound instanceof PmemNamespace p) {
            return p.device();
        }
        return bound.daxDevices().stream().findFirst().orElseThrow(() -> ZoneDeviceException.noDevice("namespace "
                + ns.name() + " has no device"));
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
        if (ns.mode() == dev.zonedev.api.NamespaceMode.RAW) {
            return "none";
        }
        if (ns.bound().orElse(null) instanceof PmemNamespace p && p.infoBlock().isPresent()) {
            return p.infoBlock().get().map().text();
        }
        if (ns.bound().orElse(null) instanceof DevDaxNamespace d) {
            return d.infoBlock().map().text();
        }
        return ns.options().getOrDefault("map", "mem");
    }

    /** True when the namespace's device hands out pfns. */
    static boolean hasPfns(Namespace ns) {
        BoundNamespace b = ns.bound().orElse(null);
        return b instanceof PmemNamespace p ? p.device().hasPfns() : b != null && !b.daxDevices().isEmpty();
    }

    /**
     * Units a workload spreads its faults over: pages of an fsdax device, alignment units of a
     * device-dax device.
     */
    static long faultUnits(DaxDevice device) {
        if (device instanceof DevDaxDevice d) {
            return d.size() / d.align();
        }
        return device.nrPages();
    }

    /** One fault that needs a pfn at unit {@code unit}; returns the pfn. */
    static long faultWithPfn(DaxDevice device, long unit) {
        if (device instanceof DevDaxDevice d) {
            return d.fault(unit * d.align(), FaultSize.ofBytes(d.align())).pfn().value();
        }
        return device.directAccess(unit, 1, true).pfn().orElseThrow().value();
    }

    /** The pmem device of a namespace, for bad blocks. */
    static PmemDevice pmemDevice(Namespace ns) {
        if (ns.bound().orElse(null) instanceof PmemNamespace p) {
            return p.device();
        }
        throw ZoneDeviceException.invalid("namespace " + ns.name() + " is " + (ns.enabled() ? "a " + ns.mode().text()
                + " namespace" : "disabled") + "; bad blocks apply to enabled raw and fsdax (pmem) namespaces");
    }
}
