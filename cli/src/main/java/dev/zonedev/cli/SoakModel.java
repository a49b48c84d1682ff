package dev.zonedev.cli;

import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.Pages;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The soak's model of one thread's namespaces and files: what the namespace is, whether it is
 * enabled, and what was written where (offset, length and SHA-256 of each record; one record per 64
 * KiB slot, the latest write). Owned by one soak thread; read by checkpoints while that thread
 * waits at the barrier.
 */
final class SoakModel {
    /** Bytes per data slot; a record lies inside one slot. */
    static final int SLOT = 64 * 1024;

    /** At most this many slots per namespace carry records. */
    static final int MAX_SLOTS = 32;

    private SoakModel() {}

    /** One write that must read back. */
    record Rec(long pos, int length, byte[] sha256) {}

    /** A namespace the thread created. */
    static final class Ns {
        final String name;
        int target;
        NamespaceSpec spec;
        boolean enabled = true;

        /** The pagemap while enabled with a memmap (null for raw or disabled). */
        DevicePagemap pagemap;

        /** Id of the pagemap last audited (an audit per pagemap when it first reads idle). */
        long audited = -1;

        final Map<Integer, Rec> records;

        /** Where the thread created it, for messages. */
        String origin;

        Ns(String name, int target, NamespaceSpec spec, Map<Integer, Rec> records, String origin) {
            this.name = name;
            this.target = target;
            this.spec = spec;
            this.records = records;
            this.origin = origin;
        }

        boolean fileBacked() {
            return spec.file().isPresent();
        }

        boolean raw() {
            return spec.mode() == dev.zonedev.api.NamespaceMode.RAW;
        }

        boolean devdax() {
            return spec.mode() == dev.zonedev.api.NamespaceMode.DEVDAX;
        }

        @Override
        public String toString() {
            return Soak.specText(spec) + (enabled ? "" : " (disabled)");
        }
    }

    /** A file whose namespace was destroyed: its data stays and must come back on a re-probe. */
    record Detached(NamespaceSpec spec, Map<Integer, Rec> records) {}

    static Map<Integer, Rec> newRecords() {
        return new LinkedHashMap<>();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] sha) {
        return HexFormat.of().formatHex(sha, 0, 8);
    }

    /** Bytes a soak may write: the data pages of the namespace's device. */
    static long dataBytes(DaxDevice dev) {
        return dev.nrPages() * Pages.PAGE_SIZE;
    }

    /**
     * Writes {@code bytes} at device offset {@code pos} the way fsdax does ({@code
     * dax_iomap_actor}): through the kernel-address view of {@code direct_access} without asking
     * for a pfn, so it never waits for the memmap.
     */
    static void write(DaxDevice dev, long pos, byte[] bytes) {
        KernelCopy.transfer(dev, pos, bytes, true);
    }

    /** Reads {@code length} bytes at {@code pos}, the same way {@link #write} writes them. */
    static byte[] read(DaxDevice dev, long pos, int length) {
        byte[] b = new byte[length];
        KernelCopy.transfer(dev, pos, b, false);
        return b;
    }

    /** Checks every record of {@code m} on its live namespace; returns the bytes checked. */
    static long verify(Ns m, Namespace ns, String when) {
        if (m.records.isEmpty()) {
            return 0;
        }
        DaxDevice dev = Targets.device(ns, null);
        long checked = 0;
        for (Rec r : m.records.values()) {
            byte[] got = read(dev, r.pos(), r.length());
            byte[] sha = sha256(got);
            if (!java.util.Arrays.equals(sha, r.sha256())) {
                throw new Soak.Failure(
                        Soak.DATA,
                        String.format(
                                "%s %s: %d bytes at offset %#x of %s read back with"
                                        + " SHA-256 %s..., written with %s... (%s)",
                                when,
                                m.name,
                                r.length(),
                                r.pos(),
                                dev.name(),
                                hex(sha),
                                hex(r.sha256()),
                                m));
            }
            checked += r.length();
        }
        return checked;
    }
}
