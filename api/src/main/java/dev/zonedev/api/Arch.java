package dev.zonedev.api;

/**
 * Arch support for hot-adding device memory: the SPI behind {@code arch_add_memory}.
 * Implementations are plugins, registered with {@code @AutoService(Arch.class)} and found with
 * {@link java.util.ServiceLoader}; the engine selects one by {@link #name()}.
 *
 * <p>Implementations are stateless or thread-safe: the engine may call {@link #addMemory} from
 * several threads at once for disjoint ranges.
 */
public interface Arch extends ZonedevPlugin {
    /**
     * Size of a memory section in bytes: a power of two, at least 128 MiB, so that the memmap of
     * one section fills whole 2 MiB vmemmap blocks. Constant for the life of the plugin.
     */
    long sectionSize();

    /** How this arch maps the virtual memmap: 2 MiB huge blocks or 4 KiB base pages. */
    VmemmapBlockSize vmemmapBlockSize();

    /**
     * log2 of the pages in a pageblock ({@code pageblock_order}), the unit that carries a
     * migratetype: 9 (2 MiB) unless the arch says otherwise; 0 to 18. Constant for the life of the
     * plugin.
     */
    default int pageblockOrder() {
        return 9;
    }

    /**
     * Adds a physical range ({@code arch_add_memory}). An arch that supports asynchronous work
     * passes the request on to {@link MemoryHotplug#addPages}, which returns as soon as the
     * population is scheduled when {@link AddMemoryRequest#async()} is present. An arch that cannot
     * work asynchronously throws {@link ErrorCode#WOULD_BLOCK} for an async request and does
     * nothing else; the caller then retries synchronously.
     *
     * @param request what to add
     * @param hotplug the engine's generic {@code __add_pages}
     * @throws ZoneDeviceException {@link ErrorCode#WOULD_BLOCK} as above; otherwise whatever {@link
     *     MemoryHotplug#addPages} throws, with nothing left added
     */
    void addMemory(AddMemoryRequest request, MemoryHotplug hotplug);
}
