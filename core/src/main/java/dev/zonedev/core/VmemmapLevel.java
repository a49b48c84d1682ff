package dev.zonedev.core;

/**
 * The levels of the vmemmap page-table model, named for the entry that an allocation at that level
 * fills: a {@code PGD} allocation creates the p4d table a pgd entry points to, and so on; a {@code
 * PMD} allocation is a 2 MiB memmap block (huge) or a pte table (base pages); a {@code PTE}
 * allocation is a 4 KiB memmap page. {@code ALTMAP} is a block carved from a device's altmap. Fault
 * injection names these sites.
 */
public enum VmemmapLevel {
    PGD(48),
    P4D(39),
    PUD(30),
    PMD(21),
    PTE(12),
    ALTMAP(-1);

    private final int shift;

    VmemmapLevel(int shift) {
        this.shift = shift;
    }

    /** Index of {@code vaddr}'s entry in this level's 512-entry table. */
    int index(long vaddr) {
        return (int) ((vaddr >>> shift) & 511);
    }
}
