package dev.zonedev.api;

/** How an arch maps the virtual memmap. */
public enum VmemmapBlockSize {
    /** 2 MiB blocks mapped at the pmd level, backed by huge pages (x86_64). */
    HUGE_2M(Pages.PMD_SIZE),
    /** 4 KiB base pages mapped at the pte level. */
    BASE_4K(Pages.PAGE_SIZE);

    private final long bytes;

    VmemmapBlockSize(long bytes) {
        this.bytes = bytes;
    }

    /** Bytes of memmap one block maps. */
    public long bytes() {
        return bytes;
    }
}
