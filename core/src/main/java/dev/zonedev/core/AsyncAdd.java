package dev.zonedev.core;

import dev.zonedev.api.MemmapAsync;
import java.time.Duration;

/**
 * The engine's {@link MemmapAsync}: created for an add that asks for background work, and bound to
 * the {@link AddedRange} once {@link Hotplug#addPages} has scheduled its population. Thread-safe.
 */
final class AsyncAdd implements MemmapAsync {
    private volatile AddedRange added;

    void bind(AddedRange range) {
        this.added = range;
    }

    /** The range this handle was bound to, or null when the add never ran asynchronously. */
    AddedRange added() {
        return added;
    }

    @Override
    public boolean awaitPopulated(Duration timeout) {
        AddedRange range = added;
        if (range == null) {
            return true;
        }
        try {
            return range.awaitBackground(timeout);
        } catch (InterruptedException e) {
            throw Interrupts.interrupted("interrupted waiting for vmemmap population", e);
        }
    }
}
