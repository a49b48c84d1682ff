package dev.zonedev.bench;

import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.core.DevicePagemap;
import dev.zonedev.core.Engine;
import dev.zonedev.core.EngineConfig;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code memmapSync} of one page whose sub-range nobody has claimed: the foreground claims the
 * sub-range, populates its section's memmap (one 2 MiB huge block on x86_64) and writes every
 * struct page of it. Background work is held by the gate so each call finds its sub-range free; a
 * 64 GiB device gives 512 sub-ranges of 32768 pages (one section each). When the sub-ranges run out
 * the pagemap is torn down and added again, outside the measurement. The gate and the sub-range cut
 * come through the engine's test-only facade ({@link Engine#testing()}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class MemmapSyncBenchmark {
    private static final long SIZE = 64L << 30;
    private Engine engine;
    private DevicePagemap pagemap;
    private int next;
    private int subRanges;
    private long subRangePages;

    @Setup(Level.Trial)
    public void start() {
        engine = Engine.create(EngineConfig.defaults().withArch("x86_64").withWorkers(1));
        engine.testing().backgroundGate().hold();
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.close();
    }

    @Setup(Level.Invocation)
    public void freshSubRange() {
        if (pagemap == null || next == subRanges) {
            if (pagemap != null) {
                pagemap.close();
            }
            pagemap =
                    engine.memremapPages(
                            new PagemapRequest(
                                    new PhysicalRange(1L << 40, SIZE), 0, Optional.empty(), true));
            subRanges = engine.testing().subRanges(pagemap);
            subRangePages = engine.testing().subRangePages(pagemap);
            next = 0;
        }
    }

    @Benchmark
    public void memmapSyncOneSubRange() {
        pagemap.memmapSync(pagemap.firstDevicePfn() + next++ * subRangePages, 1);
    }
}
