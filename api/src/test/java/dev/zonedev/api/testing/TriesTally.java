package dev.zonedev.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Counts the inputs jqwik generated: after every property it appends one line to
 * {@code target/jqwik-tries.tsv} of the module under test ({@code class, property, tries,
 * checks, status}); the file is started afresh by the first property of a test JVM.
 * Registered for every property of a module that has this test-jar on its test classpath
 * (through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}); the script
 * {@code ./props-tally} adds the files of all modules up. Only when the system property
 * {@value #ENABLED} is true (the parent pom sets it for surefire).
 */
public final class TriesTally implements AroundPropertyHook {
    /** The system property that turns the tally on; this project's surefire configuration sets it. */
    public static final String ENABLED = "zonedev.jqwik.tries";
    /** Where the lines go, relative to the module directory surefire runs in. */
    public static final Path FILE = Path.of("target", "jqwik-tries.tsv");
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        PropertyExecutionResult result = property.execute();
        if (!Boolean.getBoolean(ENABLED)) {
            return result; // a plugin's build that uses this test-jar gets no file it did not ask for
        }
        String line = context.containerClass().getSimpleName() + "\t" + context.targetMethod().getName() + "\t"
                + result.countTries() + "\t" + result.countChecks() + "\t" + result.status() + "\n";
        append(line);
        return result;
    }

    private static synchronized void append(String line) {
        try {
            Files.createDirectories(FILE.getParent());
            if (STARTED.compareAndSet(false, true)) {
                Files.writeString(FILE, "", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            }
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record jqwik tries in " + FILE.toAbsolutePath(), e);
        }
    }
}
