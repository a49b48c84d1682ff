package dev.zonedev.cli;

import dev.zonedev.core.EngineConfig;

/**
 * One setting {@code zonedev compare --vary} can vary: its name, what it accepts, how a value is
 * checked and where it applies. An engine key changes the {@link EngineConfig} of a combination; a
 * namespace key sets {@code KEY=VALUE} in every {@code --namespace} spec of it. Immutable.
 *
 * @param name the key as written before {@code =}
 * @param accepted the accepted values, for messages and help
 * @param check returns the canonical value, or throws {@link UsageException} naming the value and
 *     {@code accepted}
 * @param engine how the value applies to the engine configuration; null for a namespace key
 */
record VaryKey(String name, String accepted, Check check, EngineSetting engine) {
    /** Checks one value and returns its canonical text. */
    interface Check {
        String canonical(String value);
    }

    /** Applies a checked value to an engine configuration. */
    interface EngineSetting {
        EngineConfig apply(EngineConfig config, String value);
    }

    /** Keys are equal by name: the name is what the user writes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof VaryKey k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** True when the key sets an option of every namespace spec. */
    boolean namespaceKey() {
        return engine == null;
    }

    /**
     * The canonical value.
     *
     * @throws UsageException naming the key, the value and what is accepted
     */
    String canonical(String value) {
        return check.canonical(value);
    }
}
