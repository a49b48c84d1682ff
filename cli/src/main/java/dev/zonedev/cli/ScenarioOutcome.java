package dev.zonedev.cli;

/**
 * The outcomes a scenario step can end with besides {@code success} and an engine {@link
 * dev.zonedev.api.ErrorCode}; step results show them by {@link #name()}.
 */
enum ScenarioOutcome {
    /** Read-back data, or a {@code memmap_state} read, differed from what the step expected. */
    MISMATCH,
    /** {@code verify} found bad struct pages, or checked none. */
    AUDIT_FAILED,
    /** {@code wait} ran out of time. */
    TIMEOUT,
    /**
     * Any other failure (an exception that is not a {@link dev.zonedev.api.ZoneDeviceException}).
     */
    ERROR
}
