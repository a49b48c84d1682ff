package dev.zonedev.core;

import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.ZoneDeviceException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;

/** The engine's one way of turning an {@link InterruptedException} into its exception. */
final class Interrupts {
    private Interrupts() {}

    /**
     * Sets the current thread's interrupt flag again (catching {@code e} cleared it) and returns
     * the {@link ErrorCode#INTERRUPTED} exception with {@code what} as its message and {@code e} as
     * its cause, for the caller to throw.
     */
    static ZoneDeviceException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ZoneDeviceException(ErrorCode.INTERRUPTED, what, e);
    }

    /**
     * The exception for a failed read or write of {@code file}: {@link ErrorCode#INTERRUPTED} when
     * an interrupt of the calling thread closed the channel (the flag stays set), otherwise {@link
     * ErrorCode#IO_ERROR} naming the file and the cause.
     */
    static ZoneDeviceException fileFailure(String verb, Path file, IOException e) {
        if (e instanceof ClosedByInterruptException) {
            Thread.currentThread().interrupt();
            return new ZoneDeviceException(
                    ErrorCode.INTERRUPTED, "interrupted while it could " + verb + " " + file, e);
        }
        return new ZoneDeviceException(
                ErrorCode.IO_ERROR, "cannot " + verb + " " + file + ": " + e, e);
    }
}
