package dev.zonedev.it.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounded waits for the reliability suite: every wait has a timeout, and a wait that runs out
 * prints every thread's stack to stderr and fails the test naming what hung. Stateless.
 */
public final class Waits {
    /** The default bound on one wait. */
    public static final Duration HANG = Duration.ofSeconds(60);

    private Waits() {}

    /** A body run on one of several threads, given its index. */
    @FunctionalInterface
    public interface Body {
        void run(int thread) throws Exception;
    }

    /**
     * Runs {@code call} on a helper thread and returns its result, failing with a thread dump after
     * {@code timeout}.
     */
    public static <T> T within(Duration timeout, String what, Callable<T> call) {
        ExecutorService pool =
                Executors.newSingleThreadExecutor(r -> daemon(r, "reliability-" + what));
        try {
            return get(pool.submit(call), timeout, what);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@link #within(Duration, String, Callable)} for work without a result. */
    public static void within(Duration timeout, String what, Runnable work) {
        within(
                timeout,
                what,
                () -> {
                    work.run();
                    return null;
                });
    }

    /**
     * The future's value; a timeout is a hang: thread dump and failure. Exceptions of the task are
     * rethrown as they are.
     */
    public static <T> T get(Future<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw hang(what, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(
                    "interrupted waiting for " + what + " -- " + Reliability.replayHint(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new AssertionError(what + " failed: " + cause, cause);
        }
    }

    /** Waits for the latch; a timeout is a hang. */
    public static void await(CountDownLatch latch, Duration timeout, String what) {
        try {
            if (!latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw hang(what, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /**
     * Runs {@code body} on {@code threads} threads that start together and waits for all of them;
     * the first failure is rethrown (the others are added as suppressed), a thread still running
     * after {@code timeout} is a hang.
     */
    public static void concurrently(int threads, Duration timeout, String what, Body body) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        threads, r -> daemon(r, "reliability-" + what + "-" + n.incrementAndGet()));
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    body.run(thread);
                                    return null;
                                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + timeout.toNanos();
            Throwable first = null;
            for (Future<?> f : running) {
                try {
                    get(f, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), what);
                } catch (RuntimeException | Error e) {
                    if (String.valueOf(e.getMessage()).startsWith("hang:")) {
                        throw e;
                    }
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first instanceof RuntimeException r) {
                throw r;
            }
            if (first instanceof Error err) {
                throw err;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static AssertionError hang(String what, Duration timeout) {
        System.err.println(
                "[reliability] hang: " + what + " did not finish in " + timeout + "; thread dump:");
        System.err.println(Reliability.threadDump());
        return new AssertionError(
                "hang: "
                        + what
                        + " did not finish in "
                        + timeout
                        + " (thread dump on stderr) -- "
                        + Reliability.replayHint());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Fails with {@code message} and the replay hint. */
    public static AssertionError failure(String message) {
        return new AssertionError(message + " -- " + Reliability.replayHint());
    }

    /** Fails the test now with {@code message} and the replay hint. */
    public static void failNow(String message) {
        fail(message + " -- " + Reliability.replayHint());
    }
}
