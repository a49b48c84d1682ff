package dev.zonedev.it.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The reliability suite's JUnit 5 extension: a replayable seed, a tally per test class and a thread
 * dump when a test hangs.
 *
 * <ul>
 *   <li>Seed: taken from the system property {@value #SEED_PROPERTY} when set, otherwise picked
 *       once per JVM. Each test gets a {@link Run} whose {@link Random} is derived from the seed
 *       and the test's unique id, so one test replays alone or in the suite: {@code ./mvnw -pl it
 *       test -Dtest=LoadTest -Dzonedev.seed=N}.
 *   <li>Failures: every exception leaving a test is rethrown as an {@link AssertionError} whose
 *       message ends in "replay with -Dzonedev.seed=N"; a JUnit timeout also prints every thread's
 *       stack to stderr first.
 *   <li>Tally: scenarios, faults injected, bad inputs tried and pages verified, printed as one line
 *       per test class to stdout and appended to {@code target/reliability-summary.txt}.
 * </ul>
 */
public final class Reliability
        implements BeforeAllCallback,
                AfterAllCallback,
                ParameterResolver,
                TestExecutionExceptionHandler {
    /** System property holding the seed to replay. */
    public static final String SEED_PROPERTY = "zonedev.seed";

    /** The seed of this JVM. */
    public static final long SEED =
            Long.getLong(SEED_PROPERTY, new SecureRandom().nextLong() >>> 1);

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(Reliability.class);

    /** What a test class ran, summed over its tests. Thread-safe. */
    public static final class Tally {
        final LongAdder scenarios = new LongAdder();
        final LongAdder faults = new LongAdder();
        final LongAdder badInputs = new LongAdder();
        final LongAdder pagesVerified = new LongAdder();
        final LongAdder operations = new LongAdder();

        String line(String testClass) {
            return String.format(
                    "[reliability] %s seed=%d scenarios=%d operations=%d faults=%d badInputs=%d"
                            + " pagesVerified=%d",
                    testClass,
                    SEED,
                    scenarios.sum(),
                    operations.sum(),
                    faults.sum(),
                    badInputs.sum(),
                    pagesVerified.sum());
        }
    }

    /** The hint every failure message carries. */
    public static String replayHint() {
        return "replay with -D" + SEED_PROPERTY + "=" + SEED;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        System.out.println(
                "[reliability] "
                        + context.getRequiredTestClass().getSimpleName()
                        + " "
                        + replayHint());
        context.getStore(NS).getOrComputeIfAbsent(Tally.class, k -> new Tally(), Tally.class);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Tally tally = context.getStore(NS).get(Tally.class, Tally.class);
        String line = tally.line(context.getRequiredTestClass().getSimpleName());
        System.out.println(line);
        try {
            Path summary = Path.of("target", "reliability-summary.txt");
            Files.createDirectories(summary.getParent());
            Files.writeString(
                    summary,
                    line + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("[reliability] cannot append to the summary: " + e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Run.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getParent().isPresent() && classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().get();
        }
        Tally tally =
                classContext
                        .getStore(NS)
                        .getOrComputeIfAbsent(Tally.class, k -> new Tally(), Tally.class);
        long testSeed = SEED ^ (0x9E3779B97F4A7C15L * context.getUniqueId().hashCode());
        return new Run(new Random(testSeed), tally);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        if (failure instanceof java.util.concurrent.TimeoutException) {
            System.err.println(
                    "[reliability] " + context.getDisplayName() + " timed out; thread dump:");
            System.err.println(threadDump());
        }
        String message = String.valueOf(failure.getMessage());
        if (message.contains("replay with")) {
            throw failure;
        }
        String test =
                context.getRequiredTestClass().getSimpleName()
                        + context.getTestMethod().map(m -> "#" + m.getName()).orElse("");
        AssertionError wrapped =
                new AssertionError(
                        failure
                                + " -- "
                                + replayHint()
                                + " (./mvnw -pl it test -Dtest="
                                + test
                                + " -D"
                                + SEED_PROPERTY
                                + "="
                                + SEED
                                + ")",
                        failure);
        throw wrapped;
    }

    /** Every live thread with its full stack and the locks it holds or waits for. */
    public static String threadDump() {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"')
                    .append(info.getThreadName())
                    .append("\" ")
                    .append(info.getThreadState());
            if (info.getLockName() != null) {
                out.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            out.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                out.append("\tat ").append(frame).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * One test's view: its random schedule and the class tally. Thread-safe except for {@link
     * #random()}, which belongs to the test's thread (derive per-thread generators with {@link
     * #forkRandom()}).
     */
    public static final class Run {
        private final Random random;
        private final Tally tally;

        Run(Random random, Tally tally) {
            this.random = random;
            this.tally = tally;
        }

        /** The test's random schedule. */
        public Random random() {
            return random;
        }

        /** A generator for another thread, derived from the test's schedule. */
        public Random forkRandom() {
            return new Random(random.nextLong());
        }

        public void scenario() {
            tally.scenarios.increment();
        }

        public void operations(long n) {
            tally.operations.add(n);
        }

        public void faults(long n) {
            tally.faults.add(n);
        }

        public void badInput() {
            tally.badInputs.increment();
        }

        public void pagesVerified(long n) {
            tally.pagesVerified.add(n);
        }

        /** "replay with -Dzonedev.seed=N", for messages of failures raised off the test thread. */
        public String replay() {
            return replayHint();
        }
    }
}
