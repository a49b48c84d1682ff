package dev.zonedev.it.reliability;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.Platform;
import java.nio.file.Path;

/**
 * The other process for {@link FileOwnershipTest}: run in a child JVM, it binds a file-backed fsdax
 * namespace ({@code map=dev}), prints {@code BOUND <pid>}, and keeps it bound until its standard
 * input ends; then it closes the platform and prints {@code RELEASED}.
 *
 * <p>Arguments: file, size in bytes.
 */
public final class FileOwnerChild {
    private FileOwnerChild() {}

    public static void main(String[] args) throws Exception {
        try (Platform platform = Platform.create(EngineConfig.defaults().withWorkers(1))) {
            platform.create(
                    NamespaceSpec.of("namespace0.0", Long.parseLong(args[1]), NamespaceMode.FSDAX)
                            .withFile(Path.of(args[0]))
                            .withOption("map", "dev"));
            System.out.println("BOUND " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // bound until the parent closes our stdin
            }
        }
        System.out.println("RELEASED");
        System.out.flush();
    }
}
