package dev.zonedev.cli;

import dev.zonedev.api.DaxDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults with a pfn on one device, issued by a few threads while its memmap initializes; each
 * fault's latency (request to pfn) is recorded. Thread-safe to start; read the results after {@link
 * #join()}.
 */
final class Workload {
    private final DaxDevice device;
    private final WorkloadArg arg;
    private final double[] latenciesMs;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile Throwable firstError;

    Workload(DaxDevice device, WorkloadArg arg, long seed) {
        this.device = device;
        this.arg = arg;
        this.latenciesMs = new double[arg.count()];
        long units = Targets.faultUnits(device);
        for (int t = 0; t < arg.threads(); t++) {
            int thread = t;
            SplittableRandom random = new SplittableRandom(seed + t);
            threads.add(
                    Thread.ofPlatform()
                            .name("zonedev-workload-" + device.name() + "-" + t)
                            .unstarted(
                                    () -> {
                                        for (int i = thread; i < arg.count(); i += arg.threads()) {
                                            long unit =
                                                    arg.sequential()
                                                            ? (long)
                                                                    ((double) i
                                                                            * units
                                                                            / arg.count())
                                                            : random.nextLong(units);
                                            long t0 = System.nanoTime();
                                            try {
                                                Targets.faultWithPfn(device, unit);
                                                latenciesMs[i] = (System.nanoTime() - t0) / 1e6;
                                                done.incrementAndGet();
                                            } catch (RuntimeException e) {
                                                latenciesMs[i] = Double.NaN;
                                                errors.incrementAndGet();
                                                if (firstError == null) {
                                                    firstError = e;
                                                }
                                            }
                                        }
                                    }));
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    DaxDevice device() {
        return device;
    }

    long faults() {
        return done.get();
    }

    long errors() {
        return errors.get();
    }

    Throwable firstError() {
        return firstError;
    }

    /** Latencies of the faults that succeeded. */
    double[] latenciesMs() {
        return java.util.Arrays.stream(latenciesMs).filter(d -> !Double.isNaN(d)).toArray();
    }

    WorkloadArg arg() {
        return arg;
    }
}
