package dev.zonedev.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR events of the memmap engine, for JDK Mission Control: one per vmemmap section population, one
 * per sub-range initialization (by a worker or in the foreground), one per {@code memmapSync} that
 * had to wait. Recorded per section or sub-range, never per page.
 *
 * <p>Callers go through the {@code begin…}/{@code commit…} helpers, never {@code new}: the first
 * event object of a class makes JFR build its metadata and retransform the class (about 170 {@code
 * jdk.jfr} classes, 80–310 ms measured), so an event is created only when JFR has been started in
 * this process ({@link FlightRecorder#isInitialized()}, one volatile read), and the event classes
 * are not even loaded otherwise: everything that names them lives in the nested {@code Jfr} class.
 * A {@code begin…} returns an opaque handle, or null when no recording can want the event; {@code
 * commit…} accepts null. Never call {@code begin…} while holding a lock others wait for: the first
 * one may take that long.
 */
final class MemmapEvents {
    private MemmapEvents() {}

    /** True when JFR has been started in this process, so an event might be recorded. */
    static boolean recording() {
        return FlightRecorder.isInitialized();
    }

    /** Starts a {@code dev.zonedev.VmemmapPopulate} event, or returns null without a recording. */
    static Object beginPopulate() {
        return recording() ? Jfr.beginPopulate() : null;
    }

    static void commitPopulate(
            Object event, long section, long firstPfn, long pages, boolean altmap) {
        if (event != null) {
            Jfr.commitPopulate(event, section, firstPfn, pages, altmap);
        }
    }

    /** Starts a {@code dev.zonedev.SubRangeInit} event, or returns null without a recording. */
    static Object beginSubRange() {
        return recording() ? Jfr.beginSubRange() : null;
    }

    static void commitSubRange(Object event, long pgmap, long firstPfn, long pages, int worker) {
        if (event != null) {
            Jfr.commitSubRange(event, pgmap, firstPfn, pages, worker);
        }
    }

    /** Starts a {@code dev.zonedev.MemmapSyncWait} event, or returns null without a recording. */
    static Object beginSyncWait() {
        return recording() ? Jfr.beginSyncWait() : null;
    }

    static void commitSyncWait(Object event, long pgmap, long firstPfn) {
        if (event != null) {
            Jfr.commitSyncWait(event, pgmap, firstPfn);
        }
    }

    /** Starts a {@code dev.zonedev.MemmapPassWait} event, or returns null without a recording. */
    static Object beginPassWait() {
        return recording() ? Jfr.beginPassWait() : null;
    }

    static void commitPassWait(Object event, long pgmap, long pfn, String strategy) {
        if (event != null) {
            Jfr.commitPassWait(event, pgmap, pfn, strategy);
        }
    }

    /**
     * Pays JFR's one-time cost for every event class when a recording is on (called by the engine's
     * warm-up, before any clock starts); does nothing otherwise.
     */
    static void prepare() {
        if (recording()) {
            Jfr.beginPopulate();
            Jfr.beginSubRange();
            Jfr.beginSyncWait();
            Jfr.beginPassWait();
        }
    }

    /** Everything that touches the event classes; loaded only when JFR is on. */
    private static final class Jfr {
        static Object beginPopulate() {
            Populate e = new Populate();
            e.begin();
            return e;
        }

        static Object beginSubRange() {
            SubRangeInit e = new SubRangeInit();
            e.begin();
            return e;
        }

        static Object beginSyncWait() {
            SyncWait e = new SyncWait();
            e.begin();
            return e;
        }

        static Object beginPassWait() {
            PassWait e = new PassWait();
            e.begin();
            return e;
        }

        static void commitPassWait(Object event, long pgmap, long pfn, String strategy) {
            PassWait e = (PassWait) event;
            e.pgmap = pgmap;
            e.pfn = pfn;
            e.strategy = strategy;
            e.commit();
        }

        static void commitPopulate(
                Object event, long section, long firstPfn, long pages, boolean altmap) {
            Populate e = (Populate) event;
            e.section = section;
            e.firstPfn = firstPfn;
            e.pages = pages;
            e.altmap = altmap;
            e.commit();
        }

        static void commitSubRange(
                Object event, long pgmap, long firstPfn, long pages, int worker) {
            SubRangeInit e = (SubRangeInit) event;
            e.pgmap = pgmap;
            e.firstPfn = firstPfn;
            e.pages = pages;
            e.worker = worker;
            e.commit();
        }

        static void commitSyncWait(Object event, long pgmap, long firstPfn) {
            SyncWait e = (SyncWait) event;
            e.pgmap = pgmap;
            e.firstPfn = firstPfn;
            e.commit();
        }
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

    /** A pfn request waited for the whole memmap pass of a strategy without foreground sync. */
    @Name("dev.zonedev.MemmapPassWait")
    @Label("Memmap Pass Wait")
    @Category({"zonedev", "memmap"})
    @Description(
            "A pfn request waiting until every memmap worker of its pagemap has ended, because the"
                    + " strategy does not initialize pages in the foreground")
    static final class PassWait extends Event {
        @Label("Pgmap")
        long pgmap;

        @Label("Requested pfn")
        long pfn;

        @Label("Strategy")
        String strategy;
    }
}
