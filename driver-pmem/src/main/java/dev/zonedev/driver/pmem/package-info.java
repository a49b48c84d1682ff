/**
 * The pmem namespace driver: raw and fsdax namespaces, the pfn info block, {@code direct_access}
 * with an optional pfn, bad blocks, and the fs-dax helpers that never ask for a pfn unless
 * debugging. Entry point: {@link dev.zonedev.driver.pmem.PmemDriver}.
 */
package dev.zonedev.driver.pmem;
