package dev.zonedev.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pfn;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.Fletcher64;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.core.Sizes;
import dev.zonedev.driver.devdax.DevDaxDevice;
import dev.zonedev.driver.pmem.FsDax;
import dev.zonedev.driver.pmem.PmemNamespace;
import dev.zonedev.it.reliability.Reliability.Run;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input (invariant 8): every SPI method and public entry point fed negative, zero, misaligned,
 * overlapping, out-of-range and huge values, and namespaces with corrupt info blocks. Each must get
 * a {@link ZoneDeviceException} whose message names the problem, and the contents of every
 * file-backed namespace are hashed before and after: nothing already stored may change.
 */
@ExtendWith(Reliability.class)
class BadInputTest {
    private static final long MIB = Targets.MIB;
    private static final long GIB = 1L << 30;
    private static final long MAX = Long.MAX_VALUE;
    private static final long MIN = Long.MIN_VALUE;

    @TempDir Path dir;

    /** A call that must be refused. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /**
     * Asserts that {@code call} throws a ZoneDeviceException with {@code code} (any code when null)
     * and a message containing {@code fragment} (ignoring case).
     */
    private static void refused(Run run, ErrorCode code, String fragment, String what, Call call) {
        run.badInput();
        Throwable thrown = null;
        try {
            call.run();
        } catch (Throwable t) {
            thrown = t;
        }
        if (!(thrown instanceof ZoneDeviceException e)) {
            throw Waits.failure(
                    what
                            + ": expected a ZoneDeviceException"
                            + (code == null ? "" : " " + code)
                            + " but got "
                            + (thrown == null ? "no exception" : thrown));
        }
        if (code != null) {
            assertEquals(code, e.code(), what + ": " + e.getMessage() + " -- " + run.replay());
        }
        String message = e.getMessage();
        assertTrue(
                message.startsWith(e.code().errno() + ": ")
                        && message.length() > e.code().errno().length() + 10,
                what + ": message too thin: " + message);
        assertTrue(
                message.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT)),
                what
                        + ": message \""
                        + message
                        + "\" does not name \""
                        + fragment
                        + "\" -- "
                        + run.replay());
    }

    @Test
    void valueTypesAndConfigurationRefuseBadValues(Run run) {
        ErrorCode inv = ErrorCode.INVALID;
        refused(run, inv, "-1", "PhysicalRange start", () -> new PhysicalRange(-1, 4096));
        refused(run, inv, "size 0", "PhysicalRange size 0", () -> new PhysicalRange(0, 0));
        refused(run, inv, "size -4096", "PhysicalRange size", () -> new PhysicalRange(0, -4096));
        refused(run, inv, "overflow", "PhysicalRange end", () -> new PhysicalRange(MAX, 1));
        refused(
                run,
                inv,
                "overflow",
                "PhysicalRange end",
                () -> new PhysicalRange(1L << 62, 1L << 62));
        refused(run, inv, "-1", "PhysicalRange.ofPages start", () -> PhysicalRange.ofPages(-1, 1));
        refused(run, inv, "+0", "PhysicalRange.ofPages 0 pages", () -> PhysicalRange.ofPages(0, 0));
        refused(
                run,
                inv,
                "not valid",
                "PhysicalRange.ofPages huge",
                () -> PhysicalRange.ofPages(MAX, 1));
        refused(
                run,
                inv,
                "overflow",
                "PhysicalRange.ofPages end",
                () -> PhysicalRange.ofPages(1L << 50, 1L << 50));
        refused(run, inv, "-1", "Pfn value", () -> new Pfn(-1, 0));
        refused(run, inv, "-9223372036854775808", "Pfn value", () -> new Pfn(MIN, Pfn.DEV));
        refused(run, inv, "unknown bits", "Pfn flags", () -> new Pfn(1, 8));
        refused(run, inv, "unknown bits", "Pfn flags", () -> new Pfn(1, -1));
        for (int field = 0; field < 5; field++) {
            long[] v = {0, 0, 0, 0, 0};
            v[field] = -1;
            refused(
                    run,
                    inv,
                    "negative",
                    "VmemAltmap field " + field,
                    () -> new VmemAltmap(v[0], v[1], v[2], v[3], v[4]));
        }
        refused(run, inv, "beyond free", "VmemAltmap alloc", () -> new VmemAltmap(0, 2, 10, 0, 11));
        refused(run, inv, "beyond free", "VmemAltmap align", () -> new VmemAltmap(0, 2, 10, 6, 5));
        refused(
                run,
                inv,
                "altmap",
                "VmemAltmap alloc + align overflow",
                () -> new VmemAltmap(0, 0, 10, MAX, 1));
        refused(
                run,
                inv,
                "altmap",
                "VmemAltmap reserve + free overflow",
                () -> VmemAltmap.of(0, MAX, 1));
        PhysicalRange ok = new PhysicalRange(4 * GIB, 2 * MIB);
        refused(
                run,
                inv,
                "node -1",
                "AddMemoryRequest nid",
                () -> new AddMemoryRequest(-1, ok, Optional.empty(), Optional.empty()));
        refused(
                run,
                inv,
                "node -2147483648",
                "PagemapRequest nid",
                () -> new PagemapRequest(ok, Integer.MIN_VALUE, Optional.empty(), true));
        for (String name : new String[] {"", "a b", "x/y", "é", "n".repeat(65), "ns\n"}) {
            refused(
                    run,
                    inv,
                    "name",
                    "NamespaceSpec name " + name,
                    () -> NamespaceSpec.of(name, 2 * MIB, NamespaceMode.FSDAX));
        }
        refused(
                run,
                inv,
                "name",
                "NamespaceSpec null name",
                () -> NamespaceSpec.of(null, 2 * MIB, NamespaceMode.RAW));
        for (long size : new long[] {0, -2 * MIB, 1, 4096, 3 * MIB, MAX, MIN}) {
            refused(
                    run,
                    inv,
                    "size " + size,
                    "NamespaceSpec size " + size,
                    () -> NamespaceSpec.of("ns", size, NamespaceMode.RAW));
        }
        for (long align : new long[] {0, -4096, 1, 2048, 3 * 4096, 2 * GIB, MIN}) {
            refused(
                    run,
                    inv,
                    "align " + align,
                    "NamespaceSpec align " + align,
                    () -> NamespaceSpec.of("ns", 2 * MIB, NamespaceMode.RAW).withAlign(align));
        }
        for (int nid : new int[] {-1, 1024, Integer.MAX_VALUE}) {
            refused(
                    run,
                    inv,
                    "node " + nid,
                    "NamespaceSpec nid",
                    () ->
                            new NamespaceSpec(
                                    "ns",
                                    2 * MIB,
                                    NamespaceMode.RAW,
                                    4096,
                                    Optional.empty(),
                                    nid,
                                    Map.of()));
        }
        for (String text :
                new String[] {
                    null,
                    "",
                    " ",
                    "-1",
                    "1.5G",
                    "2X",
                    "K",
                    "KiB",
                    "99999999999999999999",
                    "9223372036854775807",
                    "8E",
                    "5T5",
                    "0x10",
                    "4KK",
                    "+4K",
                    "1 G",
                    "4611686018427387905",
                    "4194305T"
                }) {
            refused(
                    run,
                    inv,
                    "size \"" + text + "\"",
                    "Sizes.parse " + text,
                    () -> Sizes.parse(text));
        }
        refused(
                run,
                inv,
                "mode \"bogus\"",
                "NamespaceMode.parse",
                () -> NamespaceMode.parse("bogus"));
        refused(run, inv, "8192", "FaultSize.ofBytes", () -> FaultSize.ofBytes(8192));
        EngineConfig d = EngineConfig.defaults();
        for (int w : new int[] {0, -1, 1025, Integer.MIN_VALUE}) {
            refused(run, inv, "workers " + w, "EngineConfig workers", () -> d.withWorkers(w));
        }
        for (int r : new int[] {0, -7, (1 << 20) + 1}) {
            refused(
                    run,
                    inv,
                    "ranges per worker " + r,
                    "EngineConfig ranges",
                    () -> d.withRangesPerWorker(r));
        }
        for (long m : new long[] {0, -1, 3 * GIB, 512L << 40, 1L << 29, MAX}) {
            refused(
                    run,
                    inv,
                    "max physical address " + m,
                    "EngineConfig max physical",
                    () -> d.withMaxPhysicalBytes(m));
        }
        refused(
                run,
                inv,
                "nope",
                "EngineConfig arch",
                () -> Engine.create(d.withArch("nope")).close());
        MemmapControl control =
                new MemmapControl() {
                    @Override
                    public dev.zonedev.api.MemmapState memmapState() {
                        return dev.zonedev.api.MemmapState.IDLE;
                    }

                    @Override
                    public void sync() {
                        throw new AssertionError("sync must not be called for a bad value");
                    }
                };
        for (String value :
                new String[] {
                    null, "", "idle", "active", "syncs", "s y n c", "sync\0", "SYNC;rm"
                }) {
            refused(
                    run,
                    inv,
                    "memmap_state accepts only",
                    "MemmapControl.write " + value,
                    () -> control.write(value));
        }
        run.scenario();
    }

    /**
     * File-backed namespaces with data on them, for checking that bad input changes nothing stored.
     */
    private record Stored(Platform platform, Map<String, Path> files) {
        Map<String, String> hashes() {
            Map<String, String> h = new LinkedHashMap<>();
            files.forEach((name, file) -> h.put(name, Targets.sha256(file)));
            return h;
        }
    }

    private Stored stored(Random random) {
        Platform platform = Targets.platform("x86_64", 4, 7);
        Map<String, Path> files = new LinkedHashMap<>();
        List<NamespaceSpec> specs =
                List.of(
                        NamespaceSpec.of("fs-dev", 34 * MIB, NamespaceMode.FSDAX)
                                .withOption("map", "dev"),
                        NamespaceSpec.of("fs-mem", 10 * MIB, NamespaceMode.FSDAX).withAlign(4096),
                        NamespaceSpec.of("dax", 34 * MIB, NamespaceMode.DEVDAX)
                                .withOption("map", "dev"),
                        NamespaceSpec.of("raw", 4 * MIB, NamespaceMode.RAW));
        for (NamespaceSpec spec : specs) {
            Path file = dir.resolve(spec.name() + ".img");
            files.put(spec.name(), file);
            Namespace ns = platform.create(spec.withFile(file));
            DaxDevice dev =
                    ns.mode() == NamespaceMode.RAW
                            ? ((PmemNamespace) ns.bound().orElseThrow()).device()
                            : ns.daxDevices().getFirst();
            MemorySegment data = dev.directAccess(0, dev.nrPages(), false).kernelAddress();
            for (int i = 0; i < 16; i++) {
                byte[] b = new byte[4000];
                random.nextBytes(b);
                MemorySegment.copy(
                        MemorySegment.ofArray(b),
                        0,
                        data,
                        random.nextLong(data.byteSize() - b.length),
                        b.length);
            }
            ns.memmapControl()
                    .ifPresent(
                            MemmapControl::sync); // map=dev memmaps live in the file: settle them
        }
        return new Stored(platform, files);
    }

    @Test
    void entryPointsOfALivePlatformRefuseBadValuesAndChangeNothingStored(Run run) {
        Stored stored = stored(run.random());
        try (Platform platform = stored.platform()) {
            Map<String, String> before = stored.hashes();
            Engine engine = platform.engine();
            ErrorCode inv = ErrorCode.INVALID;
            ErrorCode range = ErrorCode.OUT_OF_RANGE;
            // memremapPages: misaligned, overlapping, beyond the address space, bad altmaps
            Namespace fsDev = platform.namespace("fs-dev");
            PhysicalRange taken = fsDev.range();
            long free = 1L << 40;
            Consumer<PhysicalRange> plain =
                    r -> engine.memremapPages(new PagemapRequest(r, 0, Optional.empty(), true));
            refused(
                    run,
                    inv,
                    "aligned",
                    "memremap misaligned start",
                    () -> plain.accept(new PhysicalRange(free + 4096, 2 * MIB)));
            refused(
                    run,
                    inv,
                    "aligned",
                    "memremap misaligned size",
                    () -> plain.accept(new PhysicalRange(free, 2 * MIB + 4096)));
            refused(
                    run,
                    inv,
                    "aligned",
                    "memremap one byte",
                    () -> plain.accept(new PhysicalRange(free, 1)));
            refused(
                    run,
                    ErrorCode.EXISTS,
                    "overlaps",
                    "memremap overlapping a namespace",
                    () -> plain.accept(taken));
            refused(
                    run,
                    ErrorCode.EXISTS,
                    "overlaps",
                    "memremap overlapping a namespace's tail",
                    () -> plain.accept(new PhysicalRange(taken.end() - 2 * MIB, 4 * MIB)));
            refused(
                    run,
                    range,
                    "beyond",
                    "memremap beyond the address space",
                    () ->
                            plain.accept(
                                    new PhysicalRange(
                                            engine.config().maxPhysicalBytes() - 2 * MIB,
                                            4 * MIB)));
            refused(
                    run,
                    range,
                    "beyond",
                    "memremap huge",
                    () -> plain.accept(new PhysicalRange(0, 1L << 62)));
            PhysicalRange r = new PhysicalRange(free, 4 * MIB);
            for (VmemAltmap a :
                    new VmemAltmap[] {
                        VmemAltmap.of(r.startPfn() + 1, 2, 10),
                        VmemAltmap.of(0, 2, 10),
                        VmemAltmap.of(r.startPfn(), 2, r.nrPages()),
                        VmemAltmap.of(r.startPfn(), r.nrPages() + 1, 0)
                    }) {
                refused(
                        run,
                        inv,
                        "altmap",
                        "memremap altmap " + a,
                        () -> engine.memremapPages(new PagemapRequest(r, 0, Optional.of(a), true)));
            }
            assertEquals(
                    4,
                    engine.memremap().livePagemaps().size() + 1,
                    "refused adds left nothing behind");
            // memmapSync: outside the device pages, non-positive and huge counts
            for (String name : List.of("fs-dev", "fs-mem", "dax")) {
                DevicePagemap p =
                        engine.memremap()
                                .pagemapOf(platform.namespace(name).range().startPfn())
                                .orElseThrow();
                long first = p.firstDevicePfn();
                long end = p.range().endPfn();
                long below =
                        first > p.range().startPfn()
                                ? p.range().startPfn()
                                : -1; // an altmap page, if any
                long[][] outside = {
                    {-1, 1},
                    {MIN, 1},
                    {first - 1, 1},
                    {below, 1},
                    {end, 1},
                    {end - 1, 2},
                    {first, end - first + 1},
                    {first, MAX},
                    {MAX, 1},
                    {MAX, MAX}
                };
                for (long[] c : outside) {
                    refused(
                            run,
                            range,
                            "not all device pages",
                            name + " memmapSync " + c[0] + "+" + c[1],
                            () -> p.memmapSync(c[0], c[1]));
                }
                for (long n : new long[] {0, -1, MIN}) {
                    refused(
                            run,
                            inv,
                            "pages",
                            name + " memmapSync count " + n,
                            () -> p.memmapSync(first, n));
                }
            }
            // direct access: offsets and lengths outside every device; a pfn from a raw device
            for (String name : List.of("fs-dev", "fs-mem", "dax", "raw")) {
                Namespace ns = platform.namespace(name);
                DaxDevice dev =
                        ns.mode() == NamespaceMode.RAW
                                ? ((PmemNamespace) ns.bound().orElseThrow()).device()
                                : ns.daxDevices().getFirst();
                long pages = dev.nrPages();
                for (boolean pfn : new boolean[] {false, true}) {
                    long[][] outside = {
                        {-1, 1},
                        {MIN, 1},
                        {pages, 1},
                        {pages - 1, 2},
                        {0, pages + 1},
                        {1, MAX},
                        {MAX, 1},
                        {MAX, MAX}
                    };
                    for (long[] c : outside) {
                        if (c[0] >= 0 && c[0] < pages) {
                            // both drivers follow the kernel: a length past the end is cut at the
                            // end, not refused
                            if (!pfn || ns.mode() != NamespaceMode.RAW) {
                                assertEquals(
                                        pages - c[0],
                                        dev.directAccess(c[0], c[1], pfn).availablePages(),
                                        name
                                                + " directAccess "
                                                + c[0]
                                                + "+"
                                                + c[1]
                                                + " is cut at the end");
                            }
                            continue;
                        }
                        refused(
                                run,
                                range,
                                "outside the device",
                                name + " directAccess " + c[0] + "+" + c[1],
                                () -> dev.directAccess(c[0], c[1], pfn));
                    }
                    for (long n : new long[] {0, -1, MIN}) {
                        refused(
                                run,
                                inv,
                                "pages",
                                name + " directAccess count " + n,
                                () -> dev.directAccess(0, n, pfn));
                    }
                }
                if (ns.mode() == NamespaceMode.RAW) {
                    refused(
                            run,
                            inv,
                            "raw",
                            "raw directAccess with a pfn",
                            () -> dev.directAccess(0, 1, true));
                }
            }
            // faults: negative, misaligned, past the end, sizes other than the alignment
            DevDaxDevice dax = (DevDaxDevice) platform.namespace("dax").daxDevices().getFirst();
            for (long off : new long[] {-2 * MIB, MIN, 4096, 2 * MIB + 1, MAX}) {
                refused(
                        run,
                        inv,
                        "aligned",
                        "fault at " + off,
                        () -> dax.fault(off, FaultSize.PMD));
            }
            for (long off : new long[] {dax.size(), dax.size() + 2 * MIB, (MAX >> 21) << 21}) {
                refused(
                        run,
                        range,
                        "past the end",
                        "fault at " + off,
                        () -> dax.fault(off, FaultSize.PMD));
            }
            refused(
                    run,
                    inv,
                    "smaller than the alignment",
                    "pte fault",
                    () -> dax.fault(0, FaultSize.PTE));
            refused(run, inv, "larger", "pud fault", () -> dax.fault(0, FaultSize.PUD));
            refused(
                    run,
                    inv,
                    "device size",
                    "devdax createDevice 0",
                    () -> dax.region().createDevice(0));
            refused(
                    run,
                    inv,
                    "device size",
                    "devdax createDevice -2M",
                    () -> dax.region().createDevice(-2 * MIB));
            refused(
                    run,
                    inv,
                    "device size",
                    "devdax createDevice 4K",
                    () -> dax.region().createDevice(4096));
            refused(
                    run,
                    range,
                    "no free gap",
                    "devdax createDevice huge",
                    () -> dax.region().createDevice((MAX >> 21) << 21));
            // fs-dax byte ranges
            FsDax fs =
                    new FsDax(
                            ((PmemNamespace) platform.namespace("fs-mem").bound().orElseThrow())
                                    .device());
            long size = fs.size();
            refused(run, range, "outside the device", "fsdax read at -1", () -> fs.read(-1, 10));
            refused(
                    run,
                    range,
                    "outside the device",
                    "fsdax read past the end",
                    () -> fs.read(size - 1, 2));
            refused(run, range, "outside the device", "fsdax read at MAX", () -> fs.read(MAX, 1));
            refused(run, null, "-1", "fsdax read of -1 bytes", () -> fs.read(0, -1));
            refused(
                    run,
                    null,
                    "-2147483648",
                    "fsdax read of MIN bytes",
                    () -> fs.read(0, Integer.MIN_VALUE));
            refused(
                    run,
                    range,
                    "outside the device",
                    "fsdax write past the end",
                    () -> fs.write(size, new byte[1]));
            refused(
                    run,
                    range,
                    "outside the device",
                    "fsdax write at MIN",
                    () -> fs.write(MIN, new byte[1]));
            refused(run, range, "outside the device", "fsdax zero -1", () -> fs.zero(0, -1));
            refused(run, range, "outside the device", "fsdax zero MAX", () -> fs.zero(1, MAX));
            refused(run, inv, "block size", "fsdax dax check", () -> fs.checkDaxSupported(512));
            // the platform's own entry points
            refused(
                    run,
                    ErrorCode.EXISTS,
                    "already exists",
                    "create a name in use",
                    () -> platform.create(NamespaceSpec.of("dax", 2 * MIB, NamespaceMode.RAW)));
            for (String op : List.of("destroy", "enable", "disable", "namespace")) {
                refused(
                        run,
                        ErrorCode.NO_DEVICE,
                        "no namespace",
                        op + " of an unknown name",
                        () -> {
                            switch (op) {
                                case "destroy" -> platform.destroy("nope");
                                case "enable" -> platform.enable("nope");
                                case "disable" -> platform.disable("nope");
                                default -> platform.namespace("nope");
                            }
                        });
            }
            refused(
                    run,
                    ErrorCode.NO_DEVICE,
                    "no dax device",
                    "daxDevice of an unknown name",
                    () -> platform.namespace("dax").daxDevice("dax9.9"));
            Map<String, String[]> badOptions = new LinkedHashMap<>();
            badOptions.put("driver", new String[] {"nope", "driver"});
            badOptions.put("map", new String[] {"disk", "map"});
            badOptions.put("uuid", new String[] {"not-a-uuid", "uuid"});
            badOptions.put("relabel", new String[] {"maybe", "relabel"});
            badOptions.put("badblocks", new String[] {"x+1", "badblocks"});
            for (var e : badOptions.entrySet()) {
                refused(
                        run,
                        null,
                        e.getValue()[1],
                        "option " + e.getKey() + "=" + e.getValue()[0],
                        () ->
                                platform.create(
                                        NamespaceSpec.of("new", 10 * MIB, NamespaceMode.FSDAX)
                                                .withAlign(4096)
                                                .withOption(e.getKey(), e.getValue()[0])));
            }
            for (String devices : new String[] {"0", "-2M", "abc", "3K", "1G", ",,"}) {
                refused(
                        run,
                        null,
                        devices.equals("1G") ? "no free gap" : "devices",
                        "devdax devices=" + devices,
                        () ->
                                platform.create(
                                        NamespaceSpec.of("new", 34 * MIB, NamespaceMode.DEVDAX)
                                                .withOption("devices", devices)));
            }
            refused(
                    run,
                    null,
                    "too small",
                    "fsdax 2M with 2M alignment",
                    () -> platform.create(NamespaceSpec.of("new", 2 * MIB, NamespaceMode.FSDAX)));
            refused(
                    run,
                    null,
                    "too small",
                    "fsdax map=dev 4M",
                    () ->
                            platform.create(
                                    NamespaceSpec.of("new", 4 * MIB, NamespaceMode.FSDAX)
                                            .withAlign(4096)
                                            .withOption("map", "dev")));
            refused(
                    run,
                    null,
                    "alignment",
                    "devdax 1G alignment in 34M",
                    () ->
                            platform.create(
                                    NamespaceSpec.of("new", 34 * MIB, NamespaceMode.DEVDAX)
                                            .withAlign(GIB)));
            refused(
                    run,
                    null,
                    "alignment",
                    "devdax 64K alignment",
                    () ->
                            platform.create(
                                    NamespaceSpec.of("new", 34 * MIB, NamespaceMode.DEVDAX)
                                            .withAlign(64 * 1024)));
            refused(
                    run,
                    ErrorCode.OUT_OF_RANGE,
                    "beyond",
                    "a namespace larger than the address space",
                    () -> platform.create(NamespaceSpec.of("new", 1L << 47, NamespaceMode.RAW)));
            // the stored files opened again, wrongly, while their namespaces live: each has one
            // owner
            refused(
                    run,
                    ErrorCode.BUSY,
                    "bound by namespace fs-dev",
                    "fs-dev's file while fs-dev lives",
                    () ->
                            platform.create(
                                    NamespaceSpec.of("other", 34 * MIB, NamespaceMode.FSDAX)
                                            .withFile(stored.files().get("fs-dev"))));
            // byte-for-byte copies of them, opened wrongly: the info block's checks
            Path fsFile = copyOf(stored.files().get("fs-dev"));
            Path daxFile = copyOf(stored.files().get("dax"));
            refused(
                    run,
                    inv,
                    "uuid",
                    "another namespace on fs-dev's file",
                    () ->
                            platform.create(
                                    NamespaceSpec.of("other", 34 * MIB, NamespaceMode.FSDAX)
                                            .withFile(fsFile)));
            refused(
                    run,
                    ErrorCode.BUSY,
                    "relabel",
                    "fs-dev's file as devdax",
                    () ->
                            platform.create(
                                    NamespaceSpec.of("fs-dev2", 34 * MIB, NamespaceMode.DEVDAX)
                                            .withFile(fsFile)
                                            .withOption("uuid", uuidOf("fs-dev"))));
            refused(
                    run,
                    inv,
                    "less than",
                    "a namespace larger than its file",
                    () ->
                            platform.create(
                                    NamespaceSpec.of("x", 64 * MIB, NamespaceMode.FSDAX)
                                            .withFile(daxFile)));
            refused(
                    run,
                    ErrorCode.IO_ERROR,
                    "truncated",
                    "a namespace smaller than its info block says",
                    () ->
                            platform.create(
                                    NamespaceSpec.of("x", 32 * MIB, NamespaceMode.DEVDAX)
                                            .withFile(daxFile)
                                            .withOption("uuid", uuidOf("dax"))));
            refused(
                    run,
                    inv,
                    "map=",
                    "map disagreeing with the info block",
                    () ->
                            platform.create(
                                    NamespaceSpec.of("x", 34 * MIB, NamespaceMode.DEVDAX)
                                            .withFile(daxFile)
                                            .withOption("map", "mem")
                                            .withOption("uuid", uuidOf("dax"))));
            refused(
                    run,
                    inv,
                    "alignment",
                    "alignment disagreeing with the info block",
                    () ->
                            platform.create(
                                    NamespaceSpec.of("x", 34 * MIB, NamespaceMode.DEVDAX)
                                            .withFile(daxFile)
                                            .withAlign(4096)
                                            .withOption("uuid", uuidOf("dax"))));
            assertEquals(
                    List.of("fs-dev", "fs-mem", "dax", "raw"),
                    platform.namespaces().stream().map(Namespace::name).toList(),
                    "refused creates left nothing behind");
            assertFalse(engine.testing().anyVmemmapLockHeld());
            assertEquals(
                    before, stored.hashes(), "bad input changed stored data -- " + run.replay());
            run.scenario();
        }
    }

    /** A byte-for-byte copy of {@code file} beside it, which no namespace owns. */
    private static Path copyOf(Path file) {
        Path copy = file.resolveSibling("copy-of-" + file.getFileName());
        try {
            Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return copy;
    }

    private static String uuidOf(String name) {
        return java.util
                .UUID
                .nameUUIDFromBytes(
                        ("zonedev-namespace:" + name)
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * A corruption of the info block page: offset in the page, bytes to write, whether to fix the
     * checksum after.
     */
    private record Corruption(
            String what,
            ErrorCode code,
            String fragment,
            int offset,
            byte[] bytes,
            boolean fixSum) {}

    private static byte[] le(long value, int width) {
        ByteBuffer b = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 2 -> b.putShort((short) value);
            case 4 -> b.putInt((int) value);
            default -> b.putLong(value);
        }
        return b.array();
    }

    @Test
    void corruptInfoBlocksAreRefusedAndLeftUntouched(Run run) throws IOException {
        ErrorCode io = ErrorCode.IO_ERROR;
        ErrorCode inv = ErrorCode.INVALID;
        long size = 34 * MIB;
        List<Corruption> corruptions =
                List.of(
                        new Corruption("signature", io, "signature", 0, new byte[] {'X'}, false),
                        new Corruption(
                                "a flipped byte", io, "checksum", 200, new byte[] {1}, false),
                        new Corruption(
                                "a flipped checksum",
                                io,
                                "checksum",
                                4088,
                                new byte[] {0x5a},
                                false),
                        new Corruption("major version 2", inv, "version", 52, le(2, 2), true),
                        new Corruption("minor version 3", inv, "version", 54, le(3, 2), true),
                        new Corruption("page size 8K", inv, "8192", 88, le(8192, 4), true),
                        new Corruption("struct page 128", inv, "128", 92, le(128, 2), true),
                        new Corruption("flags", io, "flags=1", 48, le(1, 4), true),
                        new Corruption("start_pad", io, "start_pad=4096", 76, le(4096, 4), true),
                        new Corruption("mode 7", io, "7", 72, le(7, 4), true),
                        new Corruption("align 12345", io, "12345", 84, le(12345, 4), true),
                        new Corruption("dataoff 4096", io, "geometry", 56, le(4096, 8), true),
                        new Corruption("dataoff -1", io, "geometry", 56, le(-1, 8), true),
                        new Corruption(
                                "dataoff unaligned", io, "geometry", 56, le(8192 + 17, 8), true),
                        new Corruption("npfns 0", io, "geometry", 64, le(0, 8), true),
                        new Corruption("npfns huge", io, "geometry", 64, le(MAX, 8), true),
                        new Corruption("npfns negative", io, "geometry", 64, le(-5, 8), true),
                        new Corruption("namespace size 0", io, "geometry", 96, le(0, 8), true),
                        new Corruption(
                                "namespace size larger",
                                io,
                                "truncated",
                                96,
                                le(size + 2 * MIB, 8),
                                true),
                        new Corruption("parent uuid", inv, "uuid", 40, new byte[] {7, 7, 7}, true));
        for (String mode : List.of("fsdax", "devdax")) {
            for (String map : List.of("mem", "dev")) {
                Path good = dir.resolve("good-" + mode + "-" + map + ".img");
                NamespaceSpec spec =
                        NamespaceSpec.of("namespace1.0", size, NamespaceMode.parse(mode))
                                .withAlign(4096)
                                .withOption("map", map);
                try (Platform platform = Targets.platform("x86_64", 2, 7)) {
                    Namespace ns = platform.create(spec.withFile(good));
                    DaxDevice dev = ns.daxDevices().getFirst();
                    byte[] b = new byte[5000];
                    run.random().nextBytes(b);
                    MemorySegment.copy(
                            MemorySegment.ofArray(b),
                            0,
                            dev.directAccess(0, 2, false).kernelAddress(),
                            0,
                            b.length);
                }
                List<Corruption> all = new ArrayList<>(corruptions);
                all.add(
                        new Corruption(
                                "all 0xff", io, "signature", 0, filled(4096, (byte) 0xff), false));
                all.add(
                        new Corruption(
                                "map=dev with no room for the memmap",
                                io,
                                "memmap",
                                72,
                                le(2, 4),
                                true)); // map=mem blocks have little room; a map=dev block is
                // already map=dev
                for (Corruption c : all) {
                    if (c.what().startsWith("map=dev") && map.equals("dev")) {
                        continue;
                    }
                    Path bad = dir.resolve("bad.img");
                    Files.copy(good, bad, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    corrupt(bad, c);
                    String hash = Targets.sha256(bad);
                    try (Platform platform = Targets.platform("x86_64", 2, 7)) {
                        refused(
                                run,
                                c.code(),
                                c.fragment(),
                                mode + " map=" + map + ": " + c.what(),
                                () -> platform.create(spec.withFile(bad)));
                        assertEquals(List.of(), platform.namespaces());
                        assertEquals(0, platform.engine().memremap().livePagemaps().size());
                    }
                    assertEquals(
                            hash,
                            Targets.sha256(bad),
                            c.what() + ": the corrupt namespace was written to -- " + run.replay());
                    run.scenario();
                }
                // truncated file: shorter than the namespace
                Path shortFile = dir.resolve("short.img");
                Files.copy(good, shortFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel ch = FileChannel.open(shortFile, StandardOpenOption.WRITE)) {
                    ch.truncate(size - 2 * MIB);
                }
                String hash = Targets.sha256(shortFile);
                try (Platform platform = Targets.platform("x86_64", 2, 7)) {
                    refused(
                            run,
                            inv,
                            "less than",
                            "a truncated file",
                            () -> platform.create(spec.withFile(shortFile)));
                }
                assertEquals(hash, Targets.sha256(shortFile));
            }
        }
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, value);
        return b;
    }

    private static void corrupt(Path file, Corruption c) throws IOException {
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer page = ByteBuffer.allocate(4096);
            ch.read(page, 4096);
            byte[] bytes = page.array();
            if (c.what().startsWith("a flipped")) {
                bytes[c.offset()] ^= c.bytes()[0]; // a real flip, whatever the byte held
            } else {
                System.arraycopy(c.bytes(), 0, bytes, c.offset(), c.bytes().length);
            }
            if (c.fixSum()) {
                System.arraycopy(le(0, 8), 0, bytes, 4088, 8);
                long sum = Fletcher64.checksum(MemorySegment.ofArray(bytes));
                System.arraycopy(le(sum, 8), 0, bytes, 4088, 8);
            }
            ch.write(ByteBuffer.wrap(bytes), 4096);
        }
    }
}
