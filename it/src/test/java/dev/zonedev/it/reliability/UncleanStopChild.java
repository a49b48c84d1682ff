package dev.zonedev.it.reliability;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.pfn.PfnInfoBlock;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.Namespace;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import dev.zonedev.driver.devdax.DevDaxNamespace;
import dev.zonedev.driver.pmem.PmemNamespace;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;

/**
 * The first life of a file-backed namespace for {@link FaultTest}: run in a child JVM, it creates
 * the namespace, writes {@link #WRITES} seeded blocks of data through its dax device without a pfn,
 * prints {@code WROTE <info block uuid>} and then waits to be killed, never closing or flushing the
 * platform.
 *
 * <p>Arguments: file, mode ({@code fsdax} or {@code devdax}), map ({@code mem} or {@code dev}),
 * size in bytes, seed.
 */
public final class UncleanStopChild {
    static final int WRITES = 64;
    static final int BLOCK = 3000;

    private UncleanStopChild() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        NamespaceMode mode = NamespaceMode.parse(args[1]);
        long size = Long.parseLong(args[3]);
        Platform platform = Platform.create(EngineConfig.defaults().withWorkers(2));
        Namespace ns =
                platform.create(
                        NamespaceSpec.of("namespace0.0", size, mode)
                                .withFile(file)
                                .withOption("map", args[2]));
        MemorySegment data =
                ns.daxDevices()
                        .getFirst()
                        .directAccess(0, ns.daxDevices().getFirst().nrPages(), false)
                        .kernelAddress();
        Random random = new Random(Long.parseLong(args[4]));
        for (int i = 0; i < WRITES; i++) {
            long at = random.nextLong(data.byteSize() - BLOCK);
            byte[] block = new byte[BLOCK];
            random.nextBytes(block);
            MemorySegment.copy(MemorySegment.ofArray(block), 0, data, at, BLOCK);
        }
        PfnInfoBlock block =
                ns.bound().orElseThrow() instanceof PmemNamespace p
                        ? p.infoBlock().orElseThrow()
                        : ((DevDaxNamespace) ns.bound().orElseThrow()).infoBlock();
        System.out.println("WROTE " + block.uuid());
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1)
                .await(); // parked until the parent kills this JVM
    }
}
