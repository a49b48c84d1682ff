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
 *       sub-ranges per worker, physical size, plugin class loader).
 *   <li>{@link dev.zonedev.core.Engine}: {@code create}, {@code config}, {@code arch}, {@code
 *       memremap}, {@code memremapPages}, {@code failures} and {@code close}.
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
 * </ul>
 *
 * The other public types ({@link dev.zonedev.core.AsyncDomain}, {@link
 * dev.zonedev.core.DeviceMemory}, {@link dev.zonedev.core.PhysicalMemory}, {@link
 * dev.zonedev.core.StorageSpace}) are public for the engine's own wiring and for the TCK's checks;
 * they are not part of the supported surface and may change without notice.
 *
 * <h2>Test-only</h2>
 *
 * These exist so that tests, the TCK, scenarios and soak runs can force what production never does
 * on purpose. Production code must not call them:
 *
 * <ul>
 *   <li>{@link dev.zonedev.core.Engine#faults()} and {@link dev.zonedev.core.FaultInjector}: make a
 *       chosen vmemmap allocation or worker step fail.
 *   <li>{@link dev.zonedev.core.Engine#backgroundGate()} and {@link
 *       dev.zonedev.core.BackgroundGate}: hold the background workers back.
 *   <li>{@link dev.zonedev.core.Engine#anyVmemmapLockHeld()}, {@link
 *       dev.zonedev.core.Engine#vmemmapAllocations} and {@link
 *       dev.zonedev.core.Engine#physicalMemory()}: snapshots for invariant checks.
 *   <li>{@code TestHooks} (package-private): named interleaving points for core's own tests.
 * </ul>
 *
 * Unarmed, each costs one volatile read on a per-sub-range or per-section path, never in the
 * per-page loop.
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
