package dev.zonedev.api;

/**
 * How a pagemap's memmap is built: how its struct pages are cut into work, who runs that work and
 * when, when the namespace becomes available, and whether a foreground {@code memmapSync} may
 * initialize pages itself. Implementations are plugins, registered with
 * {@code @AutoService(MemmapStrategy.class)} and found with {@link java.util.ServiceLoader}; the
 * engine selects one by {@link #name()} ({@code seed} by default).
 *
 * <p>A strategy never touches memory: it decides the order and the threads, and asks the engine
 * through {@link MemmapWork} and {@link MemmapWorker} to claim and initialize units. The engine
 * keeps the claim, the population, the write, the publication and the audit, so whatever a strategy
 * does, every struct page is initialized exactly once and no pfn reaches a consumer before its
 * struct page is initialized.
 *
 * <p>Implementations are stateless or thread-safe: the engine calls {@link #start} for several
 * pagemaps at once, from the threads that add them.
 */
public interface MemmapStrategy extends ZonedevPlugin {
    /**
     * Starts building one pagemap's memmap; called once per pagemap, in the thread that adds it,
     * right after the range is registered. For an asynchronous add it must return promptly: it
     * starts workers ({@link MemmapWork#startWorker}) and leaves the work to them. A unit no worker
     * initializes is initialized by a foreground sync once every worker has ended, so a strategy
     * that starts nothing is slow, never wrong.
     *
     * @param work the pagemap's units and the engine's means to run them
     * @throws RuntimeException recorded as the pagemap's failure; workers already started go on
     */
    void start(MemmapWork work);

    /**
     * True when a foreground {@code memmapSync} may claim and initialize the free units of its
     * request in the caller's thread (the seed's {@code memmap_sync}); false when it waits until
     * every worker of the pagemap has ended (a namespace is usable only after its pass). Constant.
     */
    boolean foregroundSync();

    /** When a namespace built with this strategy becomes available to its users. Constant. */
    MemmapAvailability availability();

    /** One line for {@code zonedev list}: what the strategy does and where it comes from. */
    default String description() {
        return "";
    }
}
