package dev.zonedev.cli;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.Platform;
import java.util.HashSet;
import java.util.Set;

/** The checks a checkpoint makes on a whole platform while every soak thread waits. Stateless. */
final class SoakChecks {
    private SoakChecks() {}

    /**
     * No vmemmap lock held (invariant 6: every namespace was just synced, so nobody populates), and
     * every registered pagemap belongs to an enabled namespace (invariants 7 and 9: nothing left
     * registered by a teardown or a failed create).
     */
    static void global(Soak soak, Soak.Live live) {
        Platform p = live.platform;
        if (p.engine().testing().anyVmemmapLockHeld()) {
            throw new Soak.Failure(
                    Soak.INV6,
                    live.target.label()
                            + ": a vmemmap lock is held while every namespace is"
                            + " idle and no thread runs an operation; faults armed so far: "
                            + soak.counts.faultsArmed.sum()
                            + ", failure log: "
                            + p.engine().failures().failures());
        }
        registrations(soak, live);
    }

    /**
     * Every registered pagemap belongs to an enabled namespace. Platform changes are serialized on
     * the platform, so holding its monitor gives a consistent view at any time.
     */
    static void registrations(Soak soak, Soak.Live live) {
        Platform p = live.platform;
        synchronized (p) {
            check(soak, live, p);
        }
    }

    private static void check(Soak soak, Soak.Live live, Platform p) {
        Set<PhysicalRange> enabled = new HashSet<>();
        for (Namespace ns : p.namespaces()) {
            if (ns.enabled() && ns.mode() != NamespaceMode.RAW) {
                enabled.add(ns.range());
            }
        }
        for (DevicePagemap pm : p.engine().memremap().livePagemaps()) {
            if (!enabled.contains(pm.range())) {
                throw new Soak.Failure(
                        Soak.INV9,
                        String.format(
                                "%s: pgmap %d at %s is still registered with %d"
                                        + " references, but no enabled namespace holds that range: a teardown or a failed create left"
                                        + " it behind (issue 9 #2); latest interrupts: %s",
                                live.target.label(),
                                pm.id(),
                                pm.range(),
                                pm.referenceCount(),
                                java.util.List.copyOf(soak.interruptLog)));
            }
        }
    }
}
