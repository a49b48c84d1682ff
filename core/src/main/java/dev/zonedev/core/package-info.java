/**
 * The zonedev engine: the memremap service, the vmemmap and its page tables, the asynchronous
 * memmap initializer and the namespace platform that binds driver plugins. Plugins ({@code
 * dev.zonedev.api}) see the engine only through the SPI; this package is for the CLI, the TCK and
 * applications that embed the engine.
 *
 * <h2>The public surface</h2>
 *
 * Embedders, the CLI and tools may use these types:
 *
 * <ul>
 *   <li>{@link dev.zonedev.core.Platform}: the entry point. An {@link dev.zonedev.core.Engine} plus
 *       the namespace bus; creates, enables, disables and destroys {@link
 *       dev.zonedev.core.Namespace}s from a {@link dev.zonedev.core.NamespaceSpec}.
 *   <li>{@link dev.zonedev.core.EngineConfig}: how an engine is assembled (arch, workers,
 *       sub-ranges per worker, physical size, plugin class loader, page writer {@link
 *       dev.zonedev.core.PageInit}, NUMA topology).
 *   <li>{@link dev.zonedev.core.NumaTopology} ({@code Engine#numa()}) and {@link
 *       dev.zonedev.core.NumaPlacement}: the nodes work is placed on; a memmap strategy asks {@code
 *       placeCurrentThread(nid)} to run a pagemap's work on its namespace's node (bound on a real
 *       multi-node host, recorded otherwise) and {@code bindMemory} for its memory.
 *   <li>{@link dev.zonedev.core.Engine}: {@code create}, {@code config}, {@code arch}, {@code
 *       memremap}, {@code memremapPages}, {@code failures}, {@code warmUp} and {@code close}.
 *   <li>{@link dev.zonedev.core.Memremap} (the {@code DriverContext} drivers get) and {@link
 *       dev.zonedev.core.DevicePagemap}: a registered range, its {@code memmap_state}, {@code
 *       memmapSync}/{@code sync}, {@link dev.zonedev.core.DevicePagemap#awaitIdle awaitIdle}, the
 *       failure that keeps it active, its counters and {@code audit}, with the results {@link
 *       dev.zonedev.core.MemmapAudit} and {@link dev.zonedev.core.SubRangeLog}.
 *   <li>{@link dev.zonedev.core.FailureLog}: background failures as a queryable record.
 *   <li>{@link dev.zonedev.core.MemmapStateMBeans} and {@link dev.zonedev.core.MemmapStateMXBean}:
 *       {@code memmap_state} over JMX.
 *   <li>{@link dev.zonedev.core.ArchDiscovery} and {@link dev.zonedev.core.PluginHandshake}: which
 *       plugins there are and whether their API version is accepted.
 *   <li>{@link dev.zonedev.core.Sizes}: byte sizes as users type them ({@code 2M}, {@code 16G}).
 *   <li>{@link dev.zonedev.core.EngineWarmUp}: its {@code Result}, what {@code Engine.warmUp()}
 *       reports about the JVM's warm-up.
 * </ul>
 *
 * The other public types ({@link dev.zonedev.core.AsyncDomain}, {@link
 * dev.zonedev.core.DeviceMemory}, {@link dev.zonedev.core.PhysicalMemory}, {@link
 * dev.zonedev.core.StorageSpace}) are public for the engine's own wiring and for the TCK's checks;
 * they are not part of the supported surface and may change without notice.
 *
 * <h2>Test-only</h2>
 *
 * One facade holds what tests, the TCK, scenarios, soak runs and benchmarks need in order to force
 * what production never does on purpose and to look inside the engine: {@link
 * dev.zonedev.core.EngineTesting}, obtained with the explicit call {@link
 * dev.zonedev.core.Engine#testing()}. Production code must not call it (the module rules let the
 * cli reach it only from its scenario and soak code). Through it:
 *
 * <ul>
 *   <li>{@link dev.zonedev.core.EngineTesting#faults()} and {@link dev.zonedev.core.FaultInjector}:
 *       make a chosen vmemmap allocation or worker step fail.
 *   <li>{@link dev.zonedev.core.EngineTesting#backgroundGate()} and {@link
 *       dev.zonedev.core.BackgroundGate}: hold the background workers back.
 *   <li>{@link dev.zonedev.core.EngineTesting#anyVmemmapLockHeld()}, {@link
 *       dev.zonedev.core.EngineTesting#vmemmapAllocations} and {@link
 *       dev.zonedev.core.EngineTesting#physicalMemory()}: snapshots for invariant checks.
 *   <li>{@link dev.zonedev.core.EngineTesting#memmap}, the sub-range cut and {@link
 *       dev.zonedev.core.EngineTesting#reinitialize}: the memmap's bytes and the engine's page loop
 *       over warm memmap, for byte-for-byte checks and benchmarks.
 * </ul>
 *
 * {@code TestHooks} (package-private) adds named interleaving points for core's own tests. Unarmed,
 * each hook costs one volatile read on a per-sub-range or per-section path, never in the per-page
 * loop.
 *
 * <h2>Threading</h2>
 *
 * <ul>
 *   <li>Every public type here is thread-safe, as its documentation says; the records are
 *       immutable. {@code Platform} serializes lifecycle changes (create, enable, disable,
 *       destroy); readers see a consistent bound or unbound namespace.
 *   <li>Background memmap work runs on the engine's own threads; a {@code DevicePagemap}'s {@code
 *       memmapSync}, {@code sync} and {@code awaitIdle} block the caller (the first two initialize
 *       in the caller's thread whatever nobody has claimed yet).
 *   <li>Blocking calls answer an interrupt with a {@link dev.zonedev.api.ZoneDeviceException} of
 *       code {@link dev.zonedev.api.ErrorCode#INTERRUPTED} and leave the interrupt flag set;
 *       teardown ({@code close}) runs from an interrupted thread too; its waits are bounded, and a
 *       timed-out teardown throws {@link dev.zonedev.api.ErrorCode#BUSY} and a later {@code close}
 *       resumes it.
 *   <li>Expected failures are always a {@link dev.zonedev.api.ZoneDeviceException}, never a checked
 *       exception.
 * </ul>
 */
package dev.zonedev.core;
