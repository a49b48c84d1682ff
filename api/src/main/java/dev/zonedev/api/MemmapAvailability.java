package dev.zonedev.api;

/** When a namespace becomes available to its users, as a {@link MemmapStrategy} declares it. */
public enum MemmapAvailability {
    /** As soon as the add returns: pfns are initialized on demand while the workers go on. */
    ADD_RETURNS,
    /** Once every struct page of the pagemap is initialized. */
    INITIALIZED
}
