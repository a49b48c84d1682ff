package dev.zonedev.cli;

import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PageFaults;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The soak's bad input: malformed namespace specs, specs a driver must refuse, out-of-range offsets
 * and pfns, a duplicate name, a corrupt info block, and a second claim of a bound file. Each must
 * be refused with a clear error (the errno and a message naming the problem), and afterwards every
 * record of the thread's namespaces must read back unchanged (invariant 8). Stateless.
 */
final class SoakBadInput {
    private static final long MIB = 1L << 20;
    private static final List<String> BAD_SPECS =
            List.of(
                    "x:size=3M",
                    "x:size=-2M",
                    "x:size=0",
                    "x:size=2M,mode=floppy",
                    ":size=2M",
                    "x:size=2M,align=3K",
                    "x:size=2M,align=2G",
                    "x:size=2M,nid=99999",
                    "x:size=2M,nid=-1",
                    "x:size=2M,map=dev,mode=raw",
                    "x:size=2M,map=disk",
                    "x:size=2M,bogus=1",
                    "x:size=2M,size=4M",
                    "x:mode=fsdax",
                    "x",
                    "a b:size=2M",
                    "x:size=2M,,",
                    "x:size=16E",
                    "x:size=2M,nid=abc",
                    "x:size=12Q",
                    "x:size=2M,align=0",
                    "n/1:size=2M",
                    "x:size=",
                    "x:=2M",
                    "x:size=2M,file=");

    /** A call that must be refused. */
    @FunctionalInterface
    interface Call {
        void run();
    }

    private SoakBadInput() {}

    static String run(SoakWorker w) {
        w.count(Soak.Kind.BAD_INPUT);
        Random r = w.r;
        String what =
                switch (r.nextInt(6)) {
                    case 0 -> badSpecText(w);
                    case 1 -> refusedSpec(w);
                    case 2 -> outOfRange(w);
                    case 3 -> duplicateName(w);
                    case 4 -> corruptInfoBlock(w);
                    default -> badPfns(w);
                };
        dataUnchanged(w, what);
        return what;
    }

    /** Asserts that {@code call} is refused with one of {@code codes} and a clear message. */
    private static void refused(SoakWorker w, String what, Call call, ErrorCode... codes) {
        w.soak.counts.badInputs.increment();
        w.current = "bad input: " + what;
        try {
            call.run();
        } catch (ZoneDeviceException e) {
            String m = String.valueOf(e.getMessage());
            if (!Arrays.asList(codes).contains(e.code())) {
                throw new Soak.Failure(
                        Soak.INV8,
                        "bad input "
                                + what
                                + " was refused with "
                                + m
                                + "; expected "
                                + Arrays.toString(codes));
            }
            if (!m.startsWith(e.code().errno() + ": ")
                    || m.length() < e.code().errno().length() + 12) {
                throw new Soak.Failure(
                        Soak.INV8, "bad input " + what + " got a message too thin to act on: " + m);
            }
            return;
        }
        throw new Soak.Failure(
                Soak.INV8,
                "bad input " + what + " was accepted; expected " + Arrays.toString(codes));
    }

    private static String badSpecText(SoakWorker w) {
        String text = BAD_SPECS.get(w.r.nextInt(BAD_SPECS.size()));
        if (w.r.nextBoolean()) {
            text = "x:size=" + (2 * MIB + 4096L * (1 + w.r.nextInt(511)));
        }
        String t = text;
        w.soak.counts.badInputs.increment();
        w.current = "bad input: spec \"" + t + "\"";
        NamespaceSpec spec;
        try {
            spec = NamespaceArg.parse(t, w.soak.dir);
        } catch (UsageException e) {
            String m = e.getMessage();
            if (m == null
                    || !m.startsWith("namespace \"" + t + "\"")
                    || m.length() < t.length() + 30) {
                throw new Soak.Failure(
                        Soak.INV8,
                        "bad spec \""
                                + t
                                + "\" refused without naming it and the"
                                + " problem: "
                                + m);
            }
            return "spec \"" + t + "\" refused";
        }
        // parsed: then the platform must refuse it (and create nothing)
        Soak.Live live = w.soak.lives.get(w.r.nextInt(w.soak.lives.size()));
        refused(
                w,
                "spec \"" + t + "\" on " + live.target.label(),
                () -> live.platform.create(spec),
                ErrorCode.INVALID,
                ErrorCode.OUT_OF_RANGE);
        return "spec \"" + t + "\" refused by the platform";
    }

    /** Well-formed specs no driver can bind, or that do not fit the physical address space. */
    private static String refusedSpec(SoakWorker w) {
        Soak.Live live = w.soak.lives.get(w.r.nextInt(w.soak.lives.size()));
        String name = "t" + w.index + "-bad";
        Path file = w.soak.dir.resolve("t" + w.index + "-bad.img");
        NamespaceSpec spec =
                switch (w.r.nextInt(4)) {
                    case 3 ->
                            NamespaceSpec.of(
                                    name,
                                    2 * MIB,
                                    NamespaceMode.FSDAX); // data would start at 2M: no room
                    case 0 ->
                            new NamespaceSpec(
                                    name,
                                    2 * MIB,
                                    NamespaceMode.DEVDAX,
                                    2 * MIB,
                                    Optional.empty(),
                                    0,
                                    java.util.Map.of());
                    case 1 -> NamespaceSpec.of(name, 128L << 40, NamespaceMode.FSDAX);
                    default ->
                            new NamespaceSpec(
                                    name,
                                    2 * MIB,
                                    NamespaceMode.DEVDAX,
                                    2 * MIB,
                                    Optional.of(file),
                                    0,
                                    java.util.Map.of());
                };
        refused(
                w,
                Soak.specText(spec) + " on " + live.target.label(),
                () -> live.platform.create(spec),
                ErrorCode.INVALID,
                ErrorCode.OUT_OF_RANGE);
        if (Soak.find(live.platform, name) != null) {
            throw new Soak.Failure(
                    Soak.INV8,
                    "a refused create of " + Soak.specText(spec) + " left the namespace");
        }
        if (Files.exists(file)) {
            throw new Soak.Failure(
                    Soak.INV8,
                    "a refused create of " + Soak.specText(spec) + " left its new file " + file);
        }
        return Soak.specText(spec) + " refused";
    }

    private static SoakModel.Ns pick(SoakWorker w, java.util.function.Predicate<SoakModel.Ns> f) {
        List<SoakModel.Ns> c = w.own.stream().filter(f).toList();
        return c.isEmpty() ? null : c.get(w.r.nextInt(c.size()));
    }

    private static Namespace ns(SoakWorker w, SoakModel.Ns m) {
        return Soak.find(w.soak.lives.get(m.target).platform, m.name);
    }

    private static String outOfRange(SoakWorker w) {
        SoakModel.Ns m = pick(w, x -> x.enabled);
        if (m == null) {
            return badSpecText(w);
        }
        DaxDevice dev = Targets.device(ns(w, m), null);
        long n = dev.nrPages();
        long k = w.r.nextInt(1 << 20);
        boolean pfn = !m.raw() && w.r.nextBoolean();
        refused(
                w,
                "direct access at page " + (n + k) + " of " + m,
                () -> dev.directAccess(n + k, 1, pfn),
                ErrorCode.OUT_OF_RANGE);
        refused(
                w,
                "direct access at page -" + (k + 1) + " of " + m,
                () -> dev.directAccess(-1 - k, 1, pfn),
                ErrorCode.OUT_OF_RANGE);
        refused(
                w,
                "direct access of " + -k + " pages of " + m,
                () -> dev.directAccess(0, -k, pfn),
                ErrorCode.INVALID);
        if (m.raw()) {
            refused(w, "a pfn of raw " + m, () -> dev.directAccess(0, 1, true), ErrorCode.INVALID);
        }
        if (dev.pageFaults().isPresent()) {
            PageFaults d = dev.pageFaults().get();
            long end = dev.nrPages() * Pages.PAGE_SIZE;
            FaultSize size = FaultSize.ofBytes(d.alignment());
            if (d.alignment() > 4096) {
                refused(
                        w,
                        "a misaligned fault on " + m,
                        () -> d.fault(4096, size),
                        ErrorCode.INVALID);
                refused(
                        w,
                        "a 4K fault on " + m,
                        () -> d.fault(0, FaultSize.ofBytes(4096)),
                        ErrorCode.INVALID);
            }
            refused(
                    w,
                    "a fault past the end of " + m,
                    () -> d.fault(end + d.alignment() * k, size),
                    ErrorCode.OUT_OF_RANGE);
        }
        return "out-of-range access of " + m.name;
    }

    private static String badPfns(SoakWorker w) {
        SoakModel.Ns m = pick(w, x -> x.enabled && !x.raw());
        if (m == null) {
            return badSpecText(w);
        }
        DevicePagemap p = m.pagemap;
        long k = w.r.nextInt(1 << 20);
        refused(
                w,
                "memmapSync past the end of " + m,
                () -> p.memmapSync(p.range().endPfn() + k, 1),
                ErrorCode.OUT_OF_RANGE);
        refused(
                w,
                "memmapSync before the device pages of " + m,
                () -> p.memmapSync(p.firstDevicePfn() - 1 - k, 1),
                ErrorCode.OUT_OF_RANGE);
        refused(
                w,
                "memmapSync of 0 pages of " + m,
                () -> p.memmapSync(p.firstDevicePfn(), 0),
                ErrorCode.INVALID);
        refused(
                w,
                "memmapSync running past the end of " + m,
                () ->
                        p.memmapSync(
                                p.firstDevicePfn(),
                                p.range().endPfn() - p.firstDevicePfn() + 1 + k),
                ErrorCode.OUT_OF_RANGE);
        MemmapControl c = ns(w, m).memmapControl().orElseThrow();
        String word = List.of("idle", "active", "sync now", "", "SYNC!").get(w.r.nextInt(5));
        refused(
                w,
                "memmap_state write \"" + word + "\" to " + m,
                () -> c.write(word),
                ErrorCode.INVALID);
        return "bad pfns of " + m.name;
    }

    private static String duplicateName(SoakWorker w) {
        SoakModel.Ns m = pick(w, x -> true);
        if (m == null) {
            return badSpecText(w);
        }
        Platform p = w.soak.lives.get(m.target).platform;
        NamespaceSpec again = NamespaceSpec.of(m.name, 2 * MIB, NamespaceMode.RAW);
        refused(w, "a second create of " + m.name, () -> p.create(again), ErrorCode.EXISTS);
        return "duplicate " + m.name + " refused";
    }

    /**
     * Flips a byte of a detached file's info block: a re-probe must refuse it and leave the file as
     * it was.
     */
    private static String corruptInfoBlock(SoakWorker w) {
        SoakModel.Detached d =
                w.detached.stream()
                        .filter(x -> x.spec().mode() != NamespaceMode.RAW)
                        .findFirst()
                        .orElse(null);
        if (d == null) {
            return refusedSpec(w);
        }
        Path file = d.spec().file().orElseThrow();
        byte[] good = SoakWorker.readBlock(file);
        byte[] bad = good.clone();
        int at = w.r.nextInt((int) PfnInfoBlock.SIZE);
        bad[at] ^= (byte) (1 + w.r.nextInt(255));
        SoakWorker.writeBlock(file, bad);
        Soak.Live live = w.soak.lives.get(w.r.nextInt(w.soak.lives.size()));
        try {
            refused(
                    w,
                    "an info block with byte "
                            + at
                            + " flipped in "
                            + file.getFileName()
                            + " on "
                            + live.target.label(),
                    () -> live.platform.create(d.spec()),
                    ErrorCode.IO_ERROR,
                    ErrorCode.INVALID);
            if (!Arrays.equals(SoakWorker.readBlock(file), bad)) {
                throw new Soak.Failure(
                        Soak.INV8,
                        "a refused re-probe of " + file + " rewrote its corrupt info block");
            }
        } finally {
            if (Soak.find(live.platform, d.spec().name()) == null) {
                SoakWorker.writeBlock(file, good);
            }
        }
        return "corrupt info block of " + file.getFileName() + " refused";
    }

    /** A second namespace on a file that is bound: must be refused (one owner, issue 9 #12). */
    static String claimBoundFile(SoakWorker w) {
        SoakModel.Ns m = pick(w, x -> x.enabled && x.fileBacked());
        if (m == null) {
            return run(w);
        }
        w.count(Soak.Kind.CLAIM);
        Soak.Live live = w.soak.lives.get(w.r.nextInt(w.soak.lives.size()));
        NamespaceSpec spec =
                new NamespaceSpec(
                        "t" + w.index + "-claim",
                        m.spec.size(),
                        m.spec.mode(),
                        m.spec.align(),
                        m.spec.file(),
                        m.spec.nid(),
                        java.util.Map.of());
        w.soak.counts.badInputs.increment();
        w.current =
                "second claim of "
                        + m.spec.file().get().getFileName()
                        + " (bound to "
                        + m.name
                        + ") on "
                        + live.target.label();
        Namespace intruder;
        try {
            intruder = live.platform.create(spec);
        } catch (ZoneDeviceException e) {
            dataUnchanged(w, w.current);
            return w.current + " refused: " + e.code().errno();
        }
        throw new Soak.Failure(
                Soak.INV8,
                w.current
                        + " was accepted: namespace "
                        + intruder.name()
                        + " now binds the"
                        + " file "
                        + m.spec.file().get()
                        + " that "
                        + m.name
                        + " ("
                        + m
                        + ") holds, so two engines write its"
                        + " struct pages and data (issue 9 #12: a bound file has one owner)");
    }

    /** After bad input: every record of every enabled namespace of the thread reads back. */
    private static void dataUnchanged(SoakWorker w, String what) {
        for (SoakModel.Ns m : w.own) {
            if (m.enabled) {
                w.soak.counts.bytesChecked.add(
                        SoakModel.verify(m, ns(w, m), "after bad input (" + what + "),"));
            }
        }
    }
}
