package dev.zonedev.cli;

import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * Test-only: plants a breach the soak must find at the checkpoint that follows (a flipped bit in
 * struct pages, or a stored byte changed behind the model's back). Reached only through {@code
 * Zonedev.soakBreach}, which only tests set. Stateless.
 */
final class SoakBreach {
    private SoakBreach() {}

    static void plant(Soak soak, Soak.Breach breach, SoakWorker w, Soak.Live live) {
        long size = 64L << 20;
        switch (breach) {
            case STRUCT_PAGE -> {
                // map=dev: the memmap lives in the namespace's own storage, reachable through its
                // memory
                NamespaceSpec spec =
                        NamespaceSpec.of("breach-probe", size, NamespaceMode.FSDAX)
                                .withOption("map", "dev");
                w.createOn(live, spec, SoakModel.newRecords(), "breach probe create");
                SoakModel.Ns m = w.own.getLast();
                m.pagemap.sync();
                Namespace ns = Soak.find(live.platform, m.name);
                long dataOffset =
                        ns.bound().orElseThrow().pfnInfoBlock().orElseThrow().dataOffset();
                MemorySegment storage = ns.memory();
                for (long off = 8192; off < dataOffset; off += 4096) {
                    // byte 0 of a struct page's flags word: every 4 KiB of the memmap starts a
                    // struct page
                    storage.set(
                            ValueLayout.JAVA_BYTE,
                            off,
                            (byte) (storage.get(ValueLayout.JAVA_BYTE, off) ^ 1));
                }
            }
            case HANG -> {
                SoakWorker.CURRENT.get().current =
                        "checkpoint 1: waiting for a wakeup nobody sends (test-only breach)";
                try {
                    new java.util.concurrent.CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case DATA -> {
                Optional<SoakModel.Ns> with =
                        soak.workers.stream()
                                .flatMap(x -> x.own.stream())
                                .filter(m -> m.enabled && !m.records.isEmpty())
                                .findFirst();
                SoakModel.Ns m;
                if (with.isPresent()) {
                    m = with.get();
                } else {
                    NamespaceSpec spec =
                            NamespaceSpec.of("breach-probe", size, NamespaceMode.FSDAX);
                    w.createOn(live, spec, SoakModel.newRecords(), "breach probe create");
                    m = w.own.getLast();
                    byte[] data =
                            "written by the soak".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    SoakModel.write(
                            Targets.device(Soak.find(live.platform, m.name), null), 4096, data);
                    m.records.put(0, new SoakModel.Rec(4096, data.length, SoakModel.sha256(data)));
                }
                SoakModel.Rec rec = m.records.values().iterator().next();
                DaxDevice dev =
                        Targets.device(Soak.find(soak.lives.get(m.target).platform, m.name), null);
                byte[] b = SoakModel.read(dev, rec.pos(), 1);
                b[0] ^= 0x40;
                SoakModel.write(dev, rec.pos(), b);
            }
        }
    }
}
