/**
 * The shipped memmap strategies ({@link dev.zonedev.api.MemmapStrategy} plugins): {@code seed} (the
 * default), {@code upstream}, {@code padata} and {@code seed+padata}. They depend on the api alone:
 * a third party writes a new strategy the same way.
 */
package dev.zonedev.strategy;
