package dev.zonedev.cli;

import dev.zonedev.api.BadSectorRange;
import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.NamespaceSpec;
import dev.zonedev.core.VmemmapLevel;
import java.util.List;
import java.util.Locale;

/**
 * What one scenario step does, parsed and checked: one record per action of the scenario language,
 * its arguments already typed (sizes in bytes, specs checked against the drivers, timeouts in
 * milliseconds). A record that exists was valid when parsed; {@link ScenarioRunner} runs it by an
 * exhaustive {@code switch}, so a new action without a runner case does not compile. The action's
 * name in the scenario file is {@link #action()}, derived from the record's name ({@code
 * MemmapState} is {@code memmap_state}); {@link Scenario#ACTIONS} lists the same names with their
 * arguments, and a test keeps the two (and README's table) in step.
 *
 * <p>The records are permitted implicitly: the sealed interface permits exactly the records
 * declared in this file.
 */
sealed interface ScenarioAction {
    /** The action's name as written in a scenario file, e.g. {@code memmap_state}. */
    default String action() {
        return nameOf(getClass());
    }

    /** A record class's action name: its simple name in snake case. */
    static String nameOf(Class<?> record) {
        return record.getSimpleName()
                .replaceAll("([a-z])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT);
    }

    /** Boots a platform with {@code config} and creates {@code namespaces} on it. */
    record Boot(EngineConfig config, List<NamespaceSpec> namespaces) implements ScenarioAction {
        public Boot {
            namespaces = List.copyOf(namespaces);
        }
    }

    /** Creates a namespace. */
    record Create(NamespaceSpec spec) implements ScenarioAction {}

    /** Destroys a namespace by name. */
    record Destroy(String namespace) implements ScenarioAction {}

    /** Enables a namespace by name. */
    record Enable(String namespace) implements ScenarioAction {}

    /** Disables a namespace by name. */
    record Disable(String namespace) implements ScenarioAction {}

    /** Holds background memmap work back. */
    record Hold() implements ScenarioAction {}

    /** Lets held background memmap work go on. */
    record Release() implements ScenarioAction {}

    /**
     * {@code direct_access} at each of {@code offsets} (page multiples) for {@code size} bytes (a
     * positive page multiple); {@code device} null means the namespace's own.
     */
    record Access(String namespace, String device, List<Long> offsets, long size, boolean pfn)
            implements ScenarioAction {
        public Access {
            offsets = List.copyOf(offsets);
        }
    }

    /** Faults at each of {@code offsets}; {@code size} null means the device's alignment. */
    record Fault(String namespace, String device, List<Long> offsets, Long size)
            implements ScenarioAction {
        public Fault {
            offsets = List.copyOf(offsets);
        }
    }

    /** Writes {@code data} (1 byte to 64M) at {@code offset} through the kernel-address view. */
    record Write(String namespace, String device, long offset, byte[] data)
            implements ScenarioAction {
        public Write {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /**
     * Reads at {@code offset} and compares with {@code expected}: {@code MISMATCH} when they
     * differ.
     */
    record Read(String namespace, String device, long offset, byte[] expected)
            implements ScenarioAction {
        public Read {
            expected = expected.clone();
        }

        @Override
        public byte[] expected() {
            return expected.clone();
        }
    }

    /** Adds, then clears, bad sector runs (at least one of the two lists is non-empty). */
    record Badblocks(String namespace, List<BadSectorRange> add, List<BadSectorRange> clear)
            implements ScenarioAction {
        public Badblocks {
            add = List.copyOf(add);
            clear = List.copyOf(clear);
        }
    }

    /**
     * Fails the vmemmap allocation at {@code level} after {@code skip} (0 or more) successes;
     * {@code level} null resets every injected failure.
     */
    record Inject(VmemmapLevel level, int skip) implements ScenarioAction {
        /** The {@code reset: true} form. */
        static Inject reset() {
            return new Inject(null, 0);
        }
    }

    /**
     * Reads a namespace's {@code memmap_state}, after writing {@code write} if not null; {@code
     * read} ({@code active}, {@code idle} or null) is the state expected, {@code jmx} goes through
     * the MBean instead of the attribute.
     */
    record MemmapState(String namespace, String read, String write, boolean jmx)
            implements ScenarioAction {}

    /** Waits until every (or the named) namespace's memmap is idle, at most {@code timeoutMs}. */
    record Wait(String namespace, long timeoutMs) implements ScenarioAction {}

    /** Audits every struct page of every (or the named) namespace, after a sync if asked. */
    record Verify(String namespace, boolean sync) implements ScenarioAction {}

    /** Destroys the platform; file-backed namespaces are kept for {@link Restart}. */
    record Teardown() implements ScenarioAction {}

    /** Boots again with the last configuration and recreates the kept namespaces. */
    record Restart() implements ScenarioAction {}
}
