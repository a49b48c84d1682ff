package dev.zonedev.core;

/**
 * The {@code memmap_state} attribute over JMX: {@code MemmapState} reads {@code active} or {@code
 * idle}; the {@code sync} operation returns once every page is initialized. Registered as {@code
 * dev.zonedev:type=MemmapState,name=<namespace>}.
 */
public interface MemmapStateMXBean {
    /** {@code active} or {@code idle}. */
    String getMemmapState();

    /** Initializes every remaining struct page; returns when the state reads idle. */
    void sync();
}
