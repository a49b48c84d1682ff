package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;

/** The engine's one way of turning an {@link InterruptedException} into its exception. */
final class Interrupts {
    private Interrupts() {
    }

    /**
     * Sets the current thread's interrupt flag again (catching {@code e} cleared it) and returns
     * the {@link ErrorCode#INTERRUPTED} exception with {@code what} as its message and {@code e}
     * as its cause, for the caller to throw.
     */
    static ZoneDeviceException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ZoneDeviceException(ErrorCode.INTERRUPTED, what, e);
    }
}
