package dev.zonedev.api.testing;

import static org.quicktheories.QuickTheory.qt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.quicktheories.core.Gen;

/**
 * Runs a property: QuickTheories generates inputs with {@link Gen}s (see {@link Gens}) and hands
 * {@code examples} distinct ones to the property (all of them where there are fewer), inside an
 * ordinary JUnit 5 {@code @Test}; a failing input is shrunk and reported.
 *
 * <p>The seed is random and printed when a property fails (QuickTheories' report and this class's
 * message both name it); {@code -Dzonedev.props.seed=N} replays exactly that run.
 *
 * <p>When the system property {@value #ENABLED} is true (the parent pom sets it for surefire),
 * every property appends one line to {@code target/props-tries.tsv} of the module under test
 * ({@code class, property, tries, examples, status, seed}: tries is the number of distinct inputs
 * checked, up to the first failure if any); the file is started afresh by the first property of a
 * test JVM, and {@code ./props-tally} adds the files of all modules up.
 */
public final class Props {
    /**
     * The system property that turns the tally on; this project's surefire configuration sets it.
     */
    public static final String ENABLED = "zonedev.props.tries";

    /** The system property that fixes the seed, to replay a failure. */
    public static final String SEED = "zonedev.props.seed";

    /** Where the lines go, relative to the module directory surefire runs in. */
    public static final Path FILE = Path.of("target", "props-tries.tsv");

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /**
     * QuickTheories skips an input it has tried before but counts it as an example; it is asked for
     * this many times the examples so that {@code examples} distinct inputs are tried where the
     * generators have that many (a finite space, like two enums, is then tried exhaustively).
     */
    private static final int OVERSAMPLE = 4;

    private static final StackWalker WALKER =
            StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private Props() {}

    /** A property of one input; may throw anything, which fails it. */
    @FunctionalInterface
    public interface Property1<A> {
        void check(A a) throws Exception;
    }

    /** A property of two inputs. */
    @FunctionalInterface
    public interface Property2<A, B> {
        void check(A a, B b) throws Exception;
    }

    /** A property of three inputs. */
    @FunctionalInterface
    public interface Property3<A, B, C> {
        void check(A a, B b, C c) throws Exception;
    }

    /** A property of four inputs. */
    @FunctionalInterface
    public interface Property4<A, B, C, D> {
        void check(A a, B b, C c, D d) throws Exception;
    }

    /** A property of five inputs. */
    @FunctionalInterface
    public interface Property5<A, B, C, D, E> {
        void check(A a, B b, C c, D d, E e) throws Exception;
    }

    private record Two<A, B>(A a, B b) {
        @Override
        public String toString() {
            return show(a) + ", " + show(b);
        }
    }

    private record Three<A, B, C>(A a, B b, C c) {
        @Override
        public String toString() {
            return show(a) + ", " + show(b) + ", " + show(c);
        }
    }

    private record Four<A, B, C, D>(A a, B b, C c, D d) {
        @Override
        public String toString() {
            return show(a) + ", " + show(b) + ", " + show(c) + ", " + show(d);
        }
    }

    private record Five<A, B, C, D, E>(A a, B b, C c, D d, E e) {
        @Override
        public String toString() {
            return show(a) + ", " + show(b) + ", " + show(c) + ", " + show(d) + ", " + show(e);
        }
    }

    public static <A> void check(int examples, Gen<A> a, Property1<A> property) {
        run(examples, a, property);
    }

    public static <A, B> void check(int examples, Gen<A> a, Gen<B> b, Property2<A, B> property) {
        run(
                examples,
                in -> new Two<>(a.generate(in), b.generate(in)),
                t -> property.check(t.a(), t.b()));
    }

    public static <A, B, C> void check(
            int examples, Gen<A> a, Gen<B> b, Gen<C> c, Property3<A, B, C> property) {
        run(
                examples,
                in -> new Three<>(a.generate(in), b.generate(in), c.generate(in)),
                t -> property.check(t.a(), t.b(), t.c()));
    }

    public static <A, B, C, D> void check(
            int examples, Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d, Property4<A, B, C, D> property) {
        run(
                examples,
                in -> new Four<>(a.generate(in), b.generate(in), c.generate(in), d.generate(in)),
                t -> property.check(t.a(), t.b(), t.c(), t.d()));
    }

    public static <A, B, C, D, E> void check(
            int examples,
            Gen<A> a,
            Gen<B> b,
            Gen<C> c,
            Gen<D> d,
            Gen<E> e,
            Property5<A, B, C, D, E> property) {
        run(
                examples,
                in ->
                        new Five<>(
                                a.generate(in),
                                b.generate(in),
                                c.generate(in),
                                d.generate(in),
                                e.generate(in)),
                t -> property.check(t.a(), t.b(), t.c(), t.d(), t.e()));
    }

    private static <T> void run(int examples, Gen<T> gen, Property1<T> property) {
        StackWalker.StackFrame caller =
                WALKER.walk(s -> s.filter(f -> f.getDeclaringClass() != Props.class).findFirst())
                        .orElseThrow();
        Long fixed = Long.getLong(SEED);
        long seed = fixed != null ? fixed : System.nanoTime();
        AtomicInteger tries = new AtomicInteger();
        AtomicInteger before =
                new AtomicInteger(-1); // tries when the first failure was seen; shrinking adds more
        String status = "FAILED";
        try {
            qt().withFixedSeed(seed)
                    .withExamples(examples * OVERSAMPLE)
                    .forAll(gen.describedAs(Props::show))
                    .checkAssert(
                            t -> {
                                if (before.get() < 0 && tries.get() >= examples) {
                                    return; // enough distinct inputs tried; the rest of the run is
                                    // generation only
                                }
                                int n = tries.incrementAndGet();
                                try {
                                    property.check(t);
                                } catch (RuntimeException | Error e) {
                                    before.compareAndSet(-1, n);
                                    throw e;
                                } catch (Exception e) {
                                    before.compareAndSet(-1, n);
                                    throw new AssertionError(e);
                                }
                            });
            status = "SUCCESSFUL";
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(
                    caller.getClassName()
                            + "."
                            + caller.getMethodName()
                            + " failed with seed "
                            + seed
                            + " (replay: -D"
                            + SEED
                            + "="
                            + seed
                            + "):\n"
                            + e.getMessage(),
                    e);
        } finally {
            if (Boolean.getBoolean(ENABLED)) {
                int n = before.get() > 0 ? before.get() : tries.get();
                append(
                        caller.getDeclaringClass().getSimpleName()
                                + "\t"
                                + caller.getMethodName()
                                + "\t"
                                + n
                                + "\t"
                                + examples
                                + "\t"
                                + status
                                + "\t"
                                + seed
                                + "\n");
            }
        }
    }

    /** A value as a failure report shows it: arrays by their elements. */
    public static String show(Object o) {
        if (o instanceof Object[] a) {
            return Arrays.deepToString(a);
        }
        if (o instanceof byte[] a) {
            return Arrays.toString(a);
        }
        if (o instanceof int[] a) {
            return Arrays.toString(a);
        }
        if (o instanceof String s) {
            return '"'
                    + s.chars()
                            .mapToObj(
                                    c ->
                                            c < 0x20 || c > 0x7e
                                                    ? String.format("\\u%04x", c)
                                                    : c == '"' || c == '\\'
                                                            ? "\\" + (char) c
                                                            : String.valueOf((char) c))
                            .reduce("", String::concat)
                    + '"';
        }
        return String.valueOf(o);
    }

    private static synchronized void append(String line) {
        try {
            Files.createDirectories(FILE.getParent());
            if (STARTED.compareAndSet(false, true)) {
                Files.writeString(
                        FILE,
                        "",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
            }
            Files.writeString(
                    FILE,
                    line,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot record property tries in " + FILE.toAbsolutePath(), e);
        }
    }
}
