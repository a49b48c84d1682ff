package dev.zonedev.core;

import dev.zonedev.api.NamespaceDriver;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * The platform: an {@link Engine} plus the namespace bus ({@code libnvdimm}'s region and namespace
 * devices). It places namespaces in the physical address space, gives them real storage, and binds
 * the driver plugins found with {@link java.util.ServiceLoader}. A failed create leaves nothing
 * behind and never touches a file that existed before it. Thread-safe: lifecycle changes are
 * serialized.
 */
public final class Platform implements AutoCloseable {
    /** Namespaces are placed from 4 GiB on, each at a 1 GiB boundary (room for 1 GiB alignment). */
    private static final long FIRST_ADDRESS = 4L << 30;

    private static final long PLACEMENT = 1L << 30;

    private final Engine engine;
    private final List<NamespaceDriver> drivers;
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private long nextAddress = FIRST_ADDRESS;

    /**
     * A platform over {@code engine} with these drivers; closing it closes the engine.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} when a driver fails the
     *     {@link PluginHandshake} (built for a newer API)
     */
    public Platform(Engine engine, List<NamespaceDriver> drivers) {
        for (NamespaceDriver driver : drivers) {
            PluginHandshake.refusal("driver", driver)
                    .ifPresent(
                            reason -> {
                                throw ZoneDeviceException.invalid(reason);
                            });
        }
        this.engine = engine;
        this.drivers = List.copyOf(drivers);
    }

    /** Assembles an engine and discovers the drivers in the configuration's plugin loader. */
    public static Platform create(EngineConfig config) {
        Engine engine = Engine.create(config);
        return new Platform(
                engine, ArchDiscovery.load(NamespaceDriver.class, config.pluginLoader()));
    }

    public Engine engine() {
        return engine;
    }

    /**
     * One past the highest physical address that namespaces of {@code sizes} bytes reach when
     * created in this order on a fresh platform (each placed at the next 1 GiB boundary after 4
     * GiB).
     */
    public static long physicalEndFor(List<Long> sizes) {
        long next = FIRST_ADDRESS;
        for (long size : sizes) {
            next = ((next + PLACEMENT - 1) & -PLACEMENT) + size;
        }
        return next;
    }

    /** The drivers the platform can bind. */
    public List<NamespaceDriver> drivers() {
        return drivers;
    }

    /**
     * Creates a namespace, gives it storage and binds its driver.
     *
     * <p>A file-backed namespace claims its file for as long as it exists on this platform: the
     * file is locked exclusively (released by {@link #destroy} or {@link #close}), and the bytes
     * the engine writes at bind (info block, {@code map=dev} memmap) are allocated first. When the
     * data could need more space than the filesystem has free, a warning with the figures is logged
     * through SLF4J (the namespace is still created: sparse files are thin).
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#EXISTS} for a name in use or an
     *     existing file holding foreign data without {@code force=true}, {@link
     *     dev.zonedev.api.ErrorCode#BUSY} for a file another owner (process or platform) holds,
     *     naming its pid when known, {@link dev.zonedev.api.ErrorCode#NO_SPACE} when the filesystem
     *     cannot hold the metadata, {@link dev.zonedev.api.ErrorCode#INVALID} when no driver (or
     *     several) can bind it, whatever the driver refuses; nothing stays created then, a file
     *     this call created is removed, and an existing one refused for its contents, its owner or
     *     its space is left byte for byte as it was
     */
    public synchronized Namespace create(NamespaceSpec spec) {
        if (namespaces.containsKey(spec.name())) {
            throw ZoneDeviceException.exists("namespace " + spec.name() + " already exists");
        }
        NamespaceDriver driver = driverFor(spec, drivers);
        long start = (nextAddress + PLACEMENT - 1) & -PLACEMENT;
        PhysicalRange range = new PhysicalRange(start, spec.size());
        if (range.end() > engine.physicalMemory().maxPhysicalBytes()) {
            throw ZoneDeviceException.outOfRange(
                    "namespace "
                            + spec.name()
                            + " at "
                            + range
                            + " ends beyond the"
                            + " physical address space [0, "
                            + engine.physicalMemory().maxPhysicalBytes()
                            + ")");
        }
        DeviceMemory memory =
                spec.file()
                        .map(f -> fileMemory(spec, range, f))
                        .orElseGet(() -> DeviceMemory.anonymous(spec.name(), range));
        Namespace ns = new Namespace(spec, range, memory, driver);
        try {
            engine.physicalMemory().register(memory);
            ns.bind(engine.memremap());
        } catch (RuntimeException e) {
            try {
                engine.memremap().finishTeardownsForRollback(range); // before the storage goes
            } catch (RuntimeException left) {
                e.addSuppressed(left);
                throw e; // a pagemap is still live over the storage: keep it mapped
            }
            engine.physicalMemory().unregister(range);
            memory.close();
            memory.discardCreatedFile();
            throw e;
        }
        nextAddress = start + spec.size();
        namespaces.put(spec.name(), ns);
        return ns;
    }

    /**
     * Claims the backing file (created or reopened, locked, checked: {@link BackingFile}),
     * allocates what the engine will write there at bind ({@link MetadataExtent}), warns when the
     * data could need more space than the filesystem has, and maps it.
     */
    private static DeviceMemory fileMemory(NamespaceSpec spec, PhysicalRange range, Path path) {
        BackingFile file =
                BackingFile.claim(
                        spec.name(),
                        path,
                        spec.size(),
                        spec.force(),
                        spec.mode() != NamespaceMode.RAW);
        try {
            file.reserve(MetadataExtent.bytes(spec, range, path), "the info block and memmap");
            StorageSpace.of(spec.name(), path, file.fd(), spec.size())
                    .warning()
                    .ifPresent(w -> LoggerFactory.getLogger(Platform.class).warn(w));
            return DeviceMemory.file(spec.name(), range, file);
        } catch (RuntimeException e) {
            file.discard();
            throw e;
        }
    }

    /**
     * The driver among {@code drivers} that binds {@code spec}: the one named by its {@code
     * driver=} option, else the only one whose {@link NamespaceDriver#supports} accepts it (judging
     * by mode and options; the spec has no storage yet). Creates nothing.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} when none or several
     *     bind it, naming the drivers available
     */
    public static NamespaceDriver driverFor(NamespaceSpec spec, List<NamespaceDriver> drivers) {
        String wanted = spec.options().get("driver");
        List<NamespaceDriver> candidates = new ArrayList<>();
        for (NamespaceDriver d : drivers) {
            if (wanted != null ? d.name().equals(wanted) : d.supports(probe(spec))) {
                candidates.add(d);
            }
        }
        String available =
                drivers.stream().map(NamespaceDriver::name).collect(Collectors.joining(", "));
        if (candidates.isEmpty()) {
            throw ZoneDeviceException.invalid(
                    "no driver "
                            + (wanted != null
                                    ? "named " + wanted
                                    : "binds mode " + spec.mode().text())
                            + " for namespace "
                            + spec.name()
                            + "; available drivers: "
                            + (available.isEmpty() ? "none" : available));
        }
        if (candidates.size() > 1) {
            throw ZoneDeviceException.invalid(
                    "several drivers bind namespace "
                            + spec.name()
                            + ": "
                            + candidates.stream()
                                    .map(NamespaceDriver::name)
                                    .collect(Collectors.joining(", "))
                            + "; choose one with driver=NAME");
        }
        return candidates.getFirst();
    }

    /**
     * A storage-less view for {@link NamespaceDriver#supports}, which looks at mode and options
     * only.
     */
    private static Namespace probe(NamespaceSpec spec) {
        return new Namespace(spec, new PhysicalRange(0, spec.size()), null, null);
    }

    /** The namespace called {@code name}. */
    public synchronized Namespace namespace(String name) {
        Namespace ns = namespaces.get(name);
        if (ns == null) {
            throw ZoneDeviceException.noDevice(
                    "no namespace " + name + "; namespaces: " + namespaces.keySet());
        }
        return ns;
    }

    /** Every namespace, in creation order. */
    public synchronized List<Namespace> namespaces() {
        return List.copyOf(namespaces.values());
    }

    /** Binds the driver again to a disabled namespace; a no-op when enabled. */
    public synchronized void enable(String name) {
        Namespace ns = namespace(name);
        if (!ns.enabled()) {
            ns.bind(engine.memremap());
        }
    }

    /** Unbinds the driver: its devices refuse access, its pagemap is torn down, data is flushed. */
    public synchronized void disable(String name) {
        namespace(name).unbind();
    }

    /** Disables and removes a namespace; a backing file is kept with its data. */
    public synchronized void destroy(String name) {
        Namespace ns = namespace(name);
        ns.unbind();
        engine.physicalMemory().unregister(ns.range());
        ns.storage().close();
        namespaces.remove(name);
    }

    /** Destroys every namespace (files kept), then closes the engine. */
    @Override
    public synchronized void close() {
        try {
            for (String name : List.copyOf(namespaces.keySet())) {
                destroy(name);
            }
        } finally {
            engine.close();
        }
    }
}
