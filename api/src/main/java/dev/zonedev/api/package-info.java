/**
 * The zonedev SPIs and the value types around them. This package depends on the JDK only and
 * changes rarely: new extension points arrive as {@code default} methods so that a plugin compiled
 * against an older version keeps working.
 *
 * <ul>
 *   <li>{@link dev.zonedev.api.Arch}: the arch's {@code arch_add_memory}, its section size and how
 *       it maps the virtual memmap.
 *   <li>{@link dev.zonedev.api.DaxDevice}: {@code direct_access}, the kernel-address view of device
 *       pages, with a pfn only when the caller asks for one.
 *   <li>{@link dev.zonedev.api.NamespaceDriver}: what a driver plugin implements to bind to a
 *       namespace device.
 *   <li>{@link dev.zonedev.api.MemmapStrategy}: how a pagemap's memmap is cut into work, who runs
 *       it and when the namespace becomes available; it drives {@link dev.zonedev.api.MemmapWork}
 *       and {@link dev.zonedev.api.MemmapWorker}, which the engine implements.
 *   <li>Capabilities a device may offer, found through default methods of {@link
 *       dev.zonedev.api.DaxDevice} and {@link dev.zonedev.api.BoundNamespace}: {@link
 *       dev.zonedev.api.PageFaults} (faults of a {@link dev.zonedev.api.FaultSize}), {@link
 *       dev.zonedev.api.BadSectors} (bad {@link dev.zonedev.api.BadSectorRange}s), the block device
 *       and the info block. The {@code zonedev} command reaches devices through these alone, so a
 *       third-party driver gets what a shipped one gets.
 * </ul>
 *
 * Errors are {@link dev.zonedev.api.ZoneDeviceException}s carrying an {@link
 * dev.zonedev.api.ErrorCode} that mirrors the kernel's errno values.
 */
package dev.zonedev.api;
