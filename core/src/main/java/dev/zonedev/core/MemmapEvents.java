package dev.zonedev.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR events of the memmap engine, for JDK Mission Control: one per vmemmap section
 * population, one per sub-range initialization (by a worker or in the foreground), one per
 * {@code memmapSync} that had to wait. Recorded per section or sub-range, never per page.
 */
final class MemmapEvents {
    private MemmapEvents() {
    }

    /** The memmap of one section of one added range was populated. */
    @Name("dev.zonedev.VmemmapPopulate")
    @Label("Vmemmap Populate")
    @Category({"zonedev", "memmap"})
    @Description("Mapping the memmap blocks of one memory section")
    static final class Populate extends Event {
        @Label("Section")
        long section;
        @Label("First pfn")
        long firstPfn;
        @Label("Pages")
        long pages;
        @Label("From altmap")
        boolean altmap;
    }

    /** One sub-range of struct pages was initialized. */
    @Name("dev.zonedev.SubRangeInit")
    @Label("Sub-range Init")
    @Category({"zonedev", "memmap"})
    @Description("Initializing the struct pages of one sub-range")
    static final class SubRangeInit extends Event {
        @Label("Pgmap")
        long pgmap;
        @Label("First pfn")
        long firstPfn;
        @Label("Pages")
        long pages;
        @Label("Worker")
        @Description("worker index, or -1 for the foreground")
        int worker;
    }

    /** A memmapSync waited for sub-ranges other threads held. */
    @Name("dev.zonedev.MemmapSyncWait")
    @Label("memmapSync Wait")
    @Category({"zonedev", "memmap"})
    @Description("A foreground caller waiting for a sub-range claimed by another thread")
    static final class SyncWait extends Event {
        @Label("Pgmap")
        long pgmap;
        @Label("Sub-range first pfn")
        long firstPfn;
    }
}
