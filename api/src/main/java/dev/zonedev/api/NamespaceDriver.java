package dev.zonedev.api;

/**
 * A driver plugin that binds to namespace devices (pmem, device-dax, or a third party's).
 * Registered with {@code @AutoService(NamespaceDriver.class)} and found with {@link
 * java.util.ServiceLoader}. Implementations are thread-safe.
 */
public interface NamespaceDriver extends ZonedevPlugin {
    /** True when this driver can bind to the device (usually decided by its mode). */
    boolean supports(NamespaceDevice device);

    /**
     * Binds to the device: probes or writes its metadata, registers its pages with {@link
     * DriverContext#memremapPages} when it has a memmap, and creates its devices.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} or {@link ErrorCode#IO_ERROR} for bad
     *     options or corrupt metadata, leaving the namespace's data untouched
     */
    BoundNamespace bind(NamespaceDevice device, DriverContext context);
}
