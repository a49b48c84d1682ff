package dev.zonedev.api;

import java.util.Objects;

/**
 * The one exception type of zonedev: a message that names the problem and, where there is one, the
 * accepted range, plus the {@link ErrorCode} a caller can branch on. Every SPI method throws it
 * (and nothing else) for expected failures; it is unchecked so that it crosses lambdas and
 * executors unchanged.
 */
public class ZoneDeviceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /** Creates an exception with the given code and message. */
    public ZoneDeviceException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** Creates an exception with the given code, message and cause. */
    public ZoneDeviceException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The error code. */
    public ErrorCode code() {
        return code;
    }

    @Override
    public String getMessage() {
        return code.errno() + ": " + super.getMessage();
    }

    /**
     * Returns {@code value}, or throws {@link ErrorCode#INVALID} naming the missing {@code what}
     * when it is null: a null argument is bad input like any other.
     */
    public static <T> T requirePresent(T value, String what) {
        if (value == null) {
            throw invalid(what + " is missing (null); accepted: a value");
        }
        return value;
    }

    /** {@link ErrorCode#WOULD_BLOCK}. */
    public static ZoneDeviceException wouldBlock(String message) {
        return new ZoneDeviceException(ErrorCode.WOULD_BLOCK, message);
    }

    /** {@link ErrorCode#INVALID}. */
    public static ZoneDeviceException invalid(String message) {
        return new ZoneDeviceException(ErrorCode.INVALID, message);
    }

    /** {@link ErrorCode#OUT_OF_MEMORY}. */
    public static ZoneDeviceException outOfMemory(String message) {
        return new ZoneDeviceException(ErrorCode.OUT_OF_MEMORY, message);
    }

    /** {@link ErrorCode#IO_ERROR}. */
    public static ZoneDeviceException ioError(String message) {
        return new ZoneDeviceException(ErrorCode.IO_ERROR, message);
    }

    /** {@link ErrorCode#NO_DEVICE}. */
    public static ZoneDeviceException noDevice(String message) {
        return new ZoneDeviceException(ErrorCode.NO_DEVICE, message);
    }

    /** {@link ErrorCode#EXISTS}. */
    public static ZoneDeviceException exists(String message) {
        return new ZoneDeviceException(ErrorCode.EXISTS, message);
    }

    /** {@link ErrorCode#BUSY}. */
    public static ZoneDeviceException busy(String message) {
        return new ZoneDeviceException(ErrorCode.BUSY, message);
    }

    /** {@link ErrorCode#OUT_OF_RANGE}. */
    public static ZoneDeviceException outOfRange(String message) {
        return new ZoneDeviceException(ErrorCode.OUT_OF_RANGE, message);
    }
}
