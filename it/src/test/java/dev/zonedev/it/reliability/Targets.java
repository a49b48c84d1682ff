package dev.zonedev.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.MemmapState;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.MemmapAudit;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.Platform;
import dev.zonedev.driver.devdax.DevDaxDevice;
import dev.zonedev.driver.pmem.PmemNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A namespace under test with the handles the suite drives it through: its pagemap, its dax device
 * (a pmem device for fsdax, the first device-dax device for devdax) and its {@code memmap_state};
 * plus the checks shared by the reliability tests. Immutable.
 *
 * @param ns the namespace
 * @param pagemap its pagemap
 * @param dax its dax device
 * @param devdax the device-dax device, when the namespace is devdax
 * @param control its {@code memmap_state}
 */
record Targets(
        Namespace ns,
        DevicePagemap pagemap,
        DaxDevice dax,
        Optional<DevDaxDevice> devdax,
        MemmapControl control) {
    static final long MIB = 1L << 20;

    /** A platform on {@code arch} with the given cut. */
    static Platform platform(String arch, int workers, int rangesPerWorker) {
        return platform(arch, EngineConfig.DEFAULT_STRATEGY, workers, rangesPerWorker);
    }

    /** A platform on {@code arch} with the given memmap strategy and cut. */
    static Platform platform(String arch, String strategy, int workers, int rangesPerWorker) {
        return Platform.create(
                EngineConfig.defaults()
                        .withArch(arch)
                        .withStrategy(strategy)
                        .withWorkers(workers)
                        .withRangesPerWorker(rangesPerWorker));
    }

    /** The handles of an enabled fsdax or devdax namespace. */
    static Targets of(Platform platform, Namespace ns) {
        DevicePagemap pagemap =
                platform.engine()
                        .memremap()
                        .pagemapOf(ns.range().startPfn())
                        .orElseThrow(() -> Waits.failure(ns.name() + " has no live pagemap"));
        DaxDevice dax =
                ns.bound().orElseThrow() instanceof PmemNamespace p
                        ? p.device()
                        : ns.daxDevices().getFirst();
        Optional<DevDaxDevice> devdax =
                dax instanceof DevDaxDevice d ? Optional.of(d) : Optional.empty();
        return new Targets(ns, pagemap, dax, devdax, ns.memmapControl().orElseThrow());
    }

    /**
     * Invariant 1: every page of a pfn run handed out is initialized. Returns the pages checked.
     */
    long verifyHandedOut(long pfn, long nrPages, String what) {
        for (long p = pfn; p < pfn + nrPages; p++) {
            if (!pagemap.isPageInitialized(p)) {
                throw Waits.failure(
                        ns.name()
                                + ": "
                                + what
                                + " handed out pfn "
                                + Long.toHexString(p)
                                + " before its struct page was initialized (invariant 1)");
            }
        }
        return nrPages;
    }

    /**
     * Invariants 2 and 3: a {@code sync} write returns with {@code memmap_state} idle and every
     * page initialized exactly once. Returns the pages audited.
     */
    long syncAndAudit(Duration timeout) {
        Waits.within(timeout, "memmap_state sync of " + ns.name(), () -> control.write("sync"));
        assertEquals(
                MemmapState.IDLE,
                control.memmapState(),
                ns.name() + ": memmap_state after sync -- " + Reliability.replayHint());
        MemmapAudit audit = pagemap.audit();
        assertTrue(audit.ok(), ns.name() + ": audit " + audit + " -- " + Reliability.replayHint());
        assertEquals(
                audit.pagesChecked(),
                pagemap.pagesInitializedByWorkers() + pagemap.pagesInitializedInForeground(),
                ns.name()
                        + ": pages initialized by workers and in the"
                        + " foreground must add up to every page exactly once -- "
                        + Reliability.replayHint());
        return audit.pagesChecked();
    }

    /** SHA-256 of a file, streamed. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new AssertionError("cannot hash " + file + ": " + e, e);
        }
    }
}
