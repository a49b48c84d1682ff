package dev.zonedev.core;

import dev.zonedev.api.BoundNamespace;
import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DriverContext;
import dev.zonedev.api.ErrorCode;
import dev.zonedev.api.MemmapControl;
import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A namespace on the platform: its spec, its physical range, its storage and, while enabled, the
 * driver bound to it. Thread-safe: state changes go through {@link Platform}, which serializes
 * them; readers see a consistent bound/unbound state.
 */
public final class Namespace implements NamespaceDevice {
    private final NamespaceSpec spec;
    private final PhysicalRange range;
    private final DeviceMemory memory;
    private final NamespaceDriver driver;
    private volatile BoundNamespace bound;

    Namespace(
            NamespaceSpec spec, PhysicalRange range, DeviceMemory memory, NamespaceDriver driver) {
        this.spec = spec;
        this.range = range;
        this.memory = memory;
        this.driver = driver;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public NamespaceMode mode() {
        return spec.mode();
    }

    @Override
    public PhysicalRange range() {
        return range;
    }

    @Override
    public int nid() {
        return spec.nid();
    }

    @Override
    public long align() {
        return spec.align();
    }

    @Override
    public MemorySegment memory() {
        return memory.memory();
    }

    @Override
    public boolean persistent() {
        return memory.persistent();
    }

    /** The backing file the spec names, or empty for anonymous memory. */
    @Override
    public Optional<Path> file() {
        return spec.file();
    }

    @Override
    public Map<String, String> options() {
        return spec.options();
    }

    /** What the user asked for. */
    public NamespaceSpec spec() {
        return spec;
    }

    /** The driver that binds this namespace. */
    public NamespaceDriver driver() {
        return driver;
    }

    /** True while a driver is bound. */
    public boolean enabled() {
        return bound != null;
    }

    /** The dax devices of the bound driver; empty while disabled. */
    public List<DaxDevice> daxDevices() {
        BoundNamespace b = bound;
        return b == null ? List.of() : b.daxDevices();
    }

    /** The {@code memmap_state} attribute, when enabled with a memmap. */
    public Optional<MemmapControl> memmapControl() {
        BoundNamespace b = bound;
        return b == null ? Optional.empty() : b.memmapControl();
    }

    /** The bound driver's view, for driver-specific inspection. */
    public Optional<BoundNamespace> bound() {
        return Optional.ofNullable(bound);
    }

    /** The dax device called {@code name}. */
    public DaxDevice daxDevice(String name) {
        return daxDevices().stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                ZoneDeviceException.noDevice(
                                        "namespace "
                                                + name()
                                                + " has no dax device "
                                                + name
                                                + "; it has "
                                                + daxDevices().stream()
                                                        .map(DaxDevice::name)
                                                        .toList()));
    }

    DeviceMemory storage() {
        return memory;
    }

    /** Binds the driver; a refusal for lack of memory is made to name this namespace. */
    void bind(DriverContext context) {
        try {
            bound = driver.bind(this, context);
        } catch (ZoneDeviceException e) {
            String message = e.getMessage();
            boolean named =
                    message.contains(name() + ":") || message.contains("namespace " + name() + " ");
            if (e.code() == ErrorCode.OUT_OF_MEMORY && !named) {
                String errno = e.code().errno() + ": ";
                throw new ZoneDeviceException(
                        e.code(),
                        "namespace "
                                + name()
                                + ": "
                                + (message.startsWith(errno)
                                        ? message.substring(errno.length())
                                        : message),
                        e);
            }
            throw e;
        }
    }

    /**
     * Closes the bound driver. The namespace counts as bound until that close returns: a close
     * stopped by an interrupt or a timeout leaves it bound (its devices already refuse access), so
     * retrying disable or destroy resumes the teardown where it stopped instead of forgetting a
     * pagemap that still has workers or references.
     */
    void unbind() {
        BoundNamespace b = bound;
        if (b != null) {
            try {
                b.close();
                bound = null;
            } finally {
                memory.flush();
            }
        }
    }
}
