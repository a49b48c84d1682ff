package dev.zonedev.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.BadSectors;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DaxMapping;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.FaultSize;
import dev.zonedev.api.MediaFaults;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PageFaults;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.EngineWarmUp;
import dev.zonedev.core.MemmapAudit;
import dev.zonedev.core.MemmapStateMBeans;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.core.VmemmapLevel;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;

/**
 * Runs a checked {@link Scenario}: one platform at a time, its {@code memmap_state} MBeans
 * registered while it runs, one JSON line per step on stdout. A step's outcome is {@code success},
 * the {@link ErrorCode} name of the {@link ZoneDeviceException} it ended with, or {@code MISMATCH},
 * {@code AUDIT_FAILED}, {@code TIMEOUT}, {@code ERROR}; the run exits 1 when any outcome differs
 * from the step's {@link Expectation}. Each step's result is a {@link StepResult}, written by
 * Jackson as one line. Every step runs, whatever the earlier ones did. Not thread-safe: one run,
 * one thread.
 */
final class ScenarioRunner {
    /** A step's outcome that is not an engine error code. */
    static final class Outcome extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final ScenarioOutcome code;

        Outcome(ScenarioOutcome code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final Scenario scenario;
    private final PrintWriter out;
    private final PrintWriter err;
    private final MemmapBeans beans = new MemmapBeans();
    private Platform platform;
    private EngineConfig config;

    /** File-backed namespaces alive at the last teardown, for restart. */
    private List<NamespaceSpec> persisted = List.of();

    ScenarioRunner(Scenario scenario, ClassLoader loader, PrintWriter out, PrintWriter err) {
        this.scenario = scenario;
        this.out = out;
        this.err = err;
    }

    int run() {
        int failed = 0;
        try {
            for (Scenario.Step step : scenario.steps()) {
                failed += runStep(step) ? 0 : 1;
            }
        } finally {
            closePlatform();
            beans.close();
        }
        int total = scenario.steps().size();
        err.println(
                "scenario "
                        + scenario.name()
                        + ": "
                        + (total - failed)
                        + " passed, "
                        + failed
                        + " failed");
        err.flush();
        return failed == 0 ? 0 : 1;
    }

    private boolean runStep(Scenario.Step step) {
        long t0 = System.nanoTime();
        String outcome;
        String message = null;
        StepDetail detail = null;
        try {
            detail = execute(step.action());
            outcome = "success";
        } catch (ZoneDeviceException e) {
            outcome = e.code().name();
            message = e.getMessage();
        } catch (Outcome e) {
            outcome = e.code.name();
            message = e.getMessage();
        } catch (Exception e) {
            outcome = ScenarioOutcome.ERROR.name();
            message = e.toString();
        } finally {
            beans.refresh(platform);
        }
        boolean ok = step.expect().metBy(outcome);
        StepResult result =
                new StepResult(
                        step.number(),
                        step.action().action(),
                        step.label(),
                        step.expect().text(),
                        outcome,
                        ok,
                        Report.round((System.nanoTime() - t0) / 1e6),
                        message,
                        detail instanceof StepDetail.Idle i && i.devices().isEmpty()
                                ? null
                                : detail);
        try {
            out.println(Report.Mappers.JSON_LINE.writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
        return ok;
    }

    /**
     * Runs one action: every action has its case, and a new one without a case does not compile.
     */
    private StepDetail execute(ScenarioAction action) {
        return switch (action) {
            case ScenarioAction.Boot a -> boot(a.config(), a.namespaces());
            case ScenarioAction.Create a -> create(a.spec());
            case ScenarioAction.Destroy a -> destroy(a.namespace());
            case ScenarioAction.Enable a -> enable(a.namespace());
            case ScenarioAction.Disable a -> disable(a.namespace());
            case ScenarioAction.Hold a -> gate(true);
            case ScenarioAction.Release a -> gate(false);
            case ScenarioAction.Access a ->
                    access(a.namespace(), a.device(), a.offsets(), a.size(), a.pfn());
            case ScenarioAction.Fault a -> fault(a.namespace(), a.device(), a.offsets(), a.size());
            case ScenarioAction.Write a -> write(a.namespace(), a.device(), a.offset(), a.data());
            case ScenarioAction.Read a -> read(a.namespace(), a.device(), a.offset(), a.expected());
            case ScenarioAction.Badblocks a -> badblocks(a.namespace(), a.add(), a.clear());
            case ScenarioAction.Inject a -> inject(a.level(), a.skip());
            case ScenarioAction.MemmapState a ->
                    memmapState(a.namespace(), a.read(), a.write(), a.jmx());
            case ScenarioAction.Wait a -> waitIdle(a.namespace(), a.timeoutMs());
            case ScenarioAction.Verify a -> verify(a.namespace(), a.sync());
            case ScenarioAction.Teardown a -> teardown();
            case ScenarioAction.Restart a -> restart();
        };
    }

    // ---- actions ------------------------------------------------------------------------

    private StepDetail boot(EngineConfig cfg, List<NamespaceSpec> specs) {
        if (platform != null) {
            throw ZoneDeviceException.exists("a platform is already booted; tear it down first");
        }
        config = cfg;
        EngineWarmUp.ensure(cfg, EngineWarmUp.Part.of(cfg, specs));
        platform = Platform.create(cfg);
        List<String> created = new ArrayList<>();
        for (NamespaceSpec spec : specs) {
            platform.create(spec);
            created.add(spec.name());
        }
        return new StepDetail.Booted(platform.engine().arch().name(), created);
    }

    private StepDetail create(NamespaceSpec spec) {
        Namespace ns = platform().create(spec);
        return describe(ns);
    }

    private StepDetail destroy(String name) {
        platform().destroy(name);
        return new StepDetail.Destroyed(name);
    }

    private StepDetail enable(String name) {
        platform().enable(name);
        return describe(platform().namespace(name));
    }

    private StepDetail disable(String name) {
        platform().disable(name);
        return describe(platform().namespace(name));
    }

    private StepDetail gate(boolean hold) {
        if (hold) {
            platform().engine().testing().backgroundGate().hold();
        } else {
            platform().engine().testing().backgroundGate().release();
        }
        return new StepDetail.Gate(hold);
    }

    private StepDetail access(
            String name, String device, List<Long> offsets, long size, boolean pfn) {
        DaxDevice dev = Targets.device(platform().namespace(name), device);
        List<StepDetail.Accesses.Access> accesses = new ArrayList<>();
        for (long offset : offsets) {
            DirectAccess da =
                    dev.directAccess(offset / Pages.PAGE_SIZE, size / Pages.PAGE_SIZE, pfn);
            accesses.add(
                    new StepDetail.Accesses.Access(
                            offset,
                            da.availablePages(),
                            da.pfn().map(p -> String.format("%#x", p.value())).orElse(null)));
        }
        return new StepDetail.Accesses(dev.name(), accesses);
    }

    private StepDetail fault(String name, String device, List<Long> offsets, Long size) {
        DaxDevice dev = Targets.device(platform().namespace(name), device);
        PageFaults d =
                dev.pageFaults()
                        .orElseThrow(
                                () ->
                                        ZoneDeviceException.invalid(
                                                dev.name()
                                                        + " is not a"
                                                        + " device-dax device; faults need a devdax namespace (use access with pfn: true on fsdax)"));
        FaultSize fs = FaultSize.ofBytes(size == null ? d.alignment() : size);
        List<StepDetail.Faults.Fault> faults = new ArrayList<>();
        for (long offset : offsets) {
            DaxMapping m = d.fault(offset, fs);
            faults.add(
                    new StepDetail.Faults.Fault(
                            offset, String.format("%#x", m.pfn().value()), fs.text()));
        }
        return new StepDetail.Faults(dev.name(), faults);
    }

    private StepDetail write(String name, String device, long offset, byte[] bytes) {
        Namespace ns = platform().namespace(name);
        DaxDevice dev = Targets.device(ns, device);
        guardedTransfer(ns, dev, offset, bytes, true);
        return new StepDetail.Written(dev.name(), offset, bytes.length);
    }

    private StepDetail read(String name, String device, long offset, byte[] expected) {
        Namespace ns = platform().namespace(name);
        DaxDevice dev = Targets.device(ns, device);
        byte[] got = new byte[expected.length];
        guardedTransfer(ns, dev, offset, got, false);
        if (!java.util.Arrays.equals(got, expected)) {
            int at = java.util.Arrays.mismatch(got, expected);
            throw new Outcome(
                    ScenarioOutcome.MISMATCH,
                    String.format(
                            "%s: byte %d (offset %#x) reads %#04x, expected %#04x;"
                                    + " read back: %s",
                            dev.name(),
                            at,
                            offset + at,
                            got[at] & 0xff,
                            expected[at] & 0xff,
                            preview(got)));
        }
        return new StepDetail.ReadBack(dev.name(), offset, got.length, preview(got));
    }

    /**
     * {@link #transfer}, with a fault of the namespace's mapped file reported as ENOSPC or EIO
     * naming it.
     */
    private static void guardedTransfer(
            Namespace ns, DaxDevice dev, long offset, byte[] bytes, boolean write) {
        try {
            KernelCopy.transfer(dev, offset, bytes, write);
        } catch (InternalError e) {
            if (MediaFaults.isMappedMemoryFault(e)) {
                throw MediaFaults.fault(dev.name(), ns.spec().file(), offset, bytes.length, e);
            }
            throw e;
        }
    }

    private static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 64), StandardCharsets.UTF_8);
        return s.chars().allMatch(c -> c >= 32 && c < 127)
                ? s
                : java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 32));
    }

    private StepDetail badblocks(
            String name, List<BadSectorRange> add, List<BadSectorRange> clear) {
        DaxDevice dev = Targets.badSectorsDevice(platform().namespace(name));
        BadSectors bad = dev.badSectors().orElseThrow();
        add.forEach(bad::add);
        clear.forEach(bad::clear);
        return new StepDetail.BadBlocks(
                dev.name(), bad.list().stream().map(Object::toString).toList());
    }

    private StepDetail inject(VmemmapLevel level, int skip) {
        if (level == null) {
            platform().engine().testing().faults().reset();
            return new StepDetail.Reset(true);
        }
        platform().engine().testing().faults().failAt(level, skip);
        return new StepDetail.Injected(level.name().toLowerCase(Locale.ROOT), skip);
    }

    private StepDetail memmapState(String name, String expectRead, String write, boolean jmx) {
        Namespace ns = platform().namespace(name);
        MemmapControl control =
                ns.memmapControl()
                        .orElseThrow(
                                () ->
                                        ZoneDeviceException.noDevice(
                                                "namespace "
                                                        + name
                                                        + (ns.enabled()
                                                                ? " has no memmap (raw)"
                                                                : " is disabled")
                                                        + ": no memmap_state"));
        String device = Targets.deviceName(ns);
        if (write != null) {
            if (jmx) {
                if (!write.strip().equals("sync")) {
                    throw ZoneDeviceException.invalid(
                            "memmap_state accepts only \"sync\", not \"" + write + "\"");
                }
                jmx(device, true);
            } else {
                control.write(write);
            }
        }
        String state = jmx ? jmx(device, false) : control.memmapState().text();
        if (expectRead != null && !expectRead.equals(state)) {
            throw new Outcome(
                    ScenarioOutcome.MISMATCH,
                    device + ": memmap_state reads " + state + ", expected " + expectRead);
        }
        return new StepDetail.MemmapRead(device, write, state);
    }

    private static String jmx(String device, boolean sync) {
        ObjectName on = MemmapStateMBeans.objectName(device);
        var server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (sync) {
                server.invoke(on, "sync", new Object[0], new String[0]);
                return null;
            }
            return (String) server.getAttribute(on, "MemmapState");
        } catch (RuntimeMBeanException e) {
            throw e.getTargetException() instanceof ZoneDeviceException z ? z : e;
        } catch (MBeanException e) {
            throw e.getTargetException() instanceof ZoneDeviceException z
                    ? z
                    : new IllegalStateException(e);
        } catch (JMException e) {
            throw ZoneDeviceException.noDevice("no memmap_state MBean " + on + ": " + e);
        }
    }

    private StepDetail waitIdle(String name, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Map<String, String> d = new LinkedHashMap<>();
        for (Namespace ns : targets(name)) {
            MemmapControl c = ns.memmapControl().orElse(null);
            if (c == null) {
                continue;
            }
            DevicePagemap p = Targets.pagemap(platform().engine(), ns).orElse(null);
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            // the engine's pagemap behind the control wakes the wait; read the control again after
            // it
            // in case a failure healed as the last page was done
            boolean idle =
                    c.memmapState() == MemmapState.IDLE
                            || (p != null && p.awaitIdle(left))
                            || c.memmapState() == MemmapState.IDLE;
            if (!idle) {
                if (p != null && p.failure() != null) {
                    throw p.failure() instanceof ZoneDeviceException z
                            ? z
                            : new Outcome(ScenarioOutcome.ERROR, p.failure().toString());
                }
                throw new Outcome(
                        ScenarioOutcome.TIMEOUT,
                        ns.name()
                                + ": memmap_state still active after "
                                + timeoutMs
                                + " ms"
                                + (platform().engine().testing().backgroundGate().held()
                                        ? " (background work is held)"
                                        : ""));
            }
            d.put(Targets.deviceName(ns), MemmapState.IDLE.text());
        }
        return new StepDetail.Idle(d);
    }

    private StepDetail verify(String name, boolean sync) {
        long checked = 0;
        long bad = 0;
        int notOnce = 0;
        List<StepDetail.Audit.NamespaceAudit> per = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (Namespace ns : targets(name)) {
            DevicePagemap p = Targets.pagemap(platform().engine(), ns).orElse(null);
            if (p == null) {
                without.add(
                        ns.name()
                                + " ("
                                + (ns.enabled() ? ns.mode().text() + ", no memmap" : "disabled")
                                + ")");
                continue;
            }
            if (sync) {
                p.sync();
            }
            MemmapAudit a = p.audit();
            checked += a.pagesChecked();
            bad += a.pagesBad();
            notOnce += a.subRangesNotExactlyOnce();
            per.add(
                    new StepDetail.Audit.NamespaceAudit(
                            ns.name(),
                            a.pagesChecked(),
                            a.pagesBad(),
                            a.subRangesNotExactlyOnce()));
        }
        if (checked == 0 || name != null && !without.isEmpty()) {
            // an audit that looked at nothing proves nothing: never a pass
            throw new Outcome(
                    ScenarioOutcome.AUDIT_FAILED,
                    "nothing verified: "
                            + checked
                            + " struct pages checked; "
                            + (without.isEmpty()
                                    ? "no namespace"
                                    : "no memmap in " + String.join(", ", without))
                            + "; accepted: verify with at least one enabled fsdax or devdax namespace");
        }
        if (bad > 0 || notOnce > 0) {
            throw new Outcome(
                    ScenarioOutcome.AUDIT_FAILED,
                    bad
                            + " of "
                            + checked
                            + " struct pages bad, "
                            + notOnce
                            + " sub-ranges not initialized exactly once: "
                            + per.stream()
                                    .map(ScenarioRunner::text)
                                    .collect(Collectors.joining(", ", "[", "]")));
        }
        return new StepDetail.Audit(checked, bad, per);
    }

    /** A namespace's audit in the failure message, as it has always read. */
    private static String text(StepDetail.Audit.NamespaceAudit a) {
        return "{namespace="
                + a.namespace()
                + ", pagesChecked="
                + a.pagesChecked()
                + ", pagesBad="
                + a.pagesBad()
                + ", subRangesNotExactlyOnce="
                + a.subRangesNotExactlyOnce()
                + "}";
    }

    private StepDetail teardown() {
        Platform p = platform();
        List<NamespaceSpec> files = new ArrayList<>();
        for (Namespace ns : p.namespaces()) {
            if (ns.spec().file().isPresent()) {
                files.add(ns.spec());
            }
        }
        persisted = files;
        closePlatform();
        return new StepDetail.Kept(files.stream().map(NamespaceSpec::name).toList());
    }

    private StepDetail restart() {
        if (config == null) {
            throw ZoneDeviceException.noDevice("nothing to restart: boot first");
        }
        if (platform != null) {
            teardown();
        }
        platform = Platform.create(config);
        List<StepDetail.NamespaceState> restored = new ArrayList<>();
        for (NamespaceSpec before : persisted) {
            NamespaceSpec spec = InfoBlocks.respec(before);
            Namespace ns = platform.create(spec);
            restored.add(describe(ns));
        }
        return new StepDetail.Restored(restored);
    }

    // ---- helpers ------------------------------------------------------------------------

    private Platform platform() {
        if (platform == null) {
            throw ZoneDeviceException.noDevice(
                    "no platform is booted: add a boot step first (or restart after a"
                            + " teardown)");
        }
        return platform;
    }

    private List<Namespace> targets(String name) {
        return name == null ? platform().namespaces() : List.of(platform().namespace(name));
    }

    private StepDetail.NamespaceState describe(Namespace ns) {
        String spec = NamespaceArg.render(ns.spec());
        if (!ns.enabled()) {
            return new StepDetail.NamespaceState(
                    ns.name(),
                    ns.mode().text(),
                    false,
                    ns.range().size(),
                    spec,
                    null,
                    null,
                    null,
                    null);
        }
        return new StepDetail.NamespaceState(
                ns.name(),
                ns.mode().text(),
                true,
                ns.range().size(),
                spec,
                Targets.deviceName(ns),
                Targets.map(ns),
                Targets.pagemap(platform.engine(), ns).map(DevicePagemap::async).orElse(null),
                ns.memmapControl().map(c -> c.memmapState().text()).orElse(null));
    }

    private void closePlatform() {
        if (platform != null) {
            Platform p = platform;
            platform = null;
            beans.refresh(null);
            p.close();
        }
    }
}
