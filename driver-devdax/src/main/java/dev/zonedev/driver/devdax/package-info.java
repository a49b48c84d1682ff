/**
 * The device-dax driver: devdax namespaces as a {@link dev.zonedev.driver.devdax.DaxRegion} of
 * {@link dev.zonedev.driver.devdax.DevDaxDevice}s whose pte/pmd/pud faults initialize the struct
 * pages they map ({@code memmapSync}) before recording the mapping. Entry point: {@link
 * dev.zonedev.driver.devdax.DevDaxDriver}.
 */
package dev.zonedev.driver.devdax;
