package dev.zonedev.core;

import java.util.function.BooleanSupplier;

/**
 * Holds background memmap work back, for tests and scenarios that must show what a consumer sees
 * before the background gets anywhere. While held, workers and background population wait before
 * their next sub-range or section; foreground callers are not affected. Open by default.
 * Thread-safe; an open gate costs one volatile read per sub-range.
 */
public final class BackgroundGate {
    private volatile boolean held;

    /** Holds background work from its next step on. */
    public void hold() {
        held = true;
    }

    /** Lets background work go on. */
    public synchronized void release() {
        held = false;
        notifyAll();
    }

    public boolean held() {
        return held;
    }

    /** Wakes waiting background work so it can notice that it was told to stop. */
    synchronized void wake() {
        notifyAll();
    }

    /**
     * Called by background work before each step: waits while the gate is held and the work was not
     * told to stop (whoever tells it to stop calls {@link #wake()}).
     */
    void pass(BooleanSupplier stopping) {
        if (!held) {
            return;
        }
        synchronized (this) {
            while (held && !stopping.getAsBoolean()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    throw Interrupts.interrupted("interrupted while background work was held", e);
                }
            }
        }
    }
}
