package dev.zonedev.api;

/**
 * The one rule for carving memmap blocks out of an altmap ({@code altmap_alloc_block_buf}), shared
 * by the engine's allocator and by every check that an altmap is large enough (the info-block
 * validation of the drivers, the engine's hot-add), so that an altmap that passes the check never
 * runs out while its range's memmap is populated.
 *
 * <p>The rule: blocks are handed out in order from the first page after the reserve; a block of
 * {@code n} pages starts at the next pfn that is a multiple of the largest power of two dividing
 * {@code n} ({@link #blockStart}), the pages skipped for that alignment are lost. Every block of a
 * range has the arch's vmemmap block size, so only the first one skips pages, and the memmap of a
 * range takes {@link #pagesNeeded} pages of the altmap. Stateless.
 */
public final class AltmapBlocks {
    private AltmapBlocks() {}

    /**
     * The first pfn at or after {@code cursorPfn} where a block of {@code nrPfns} pages may start:
     * the next multiple of the largest power of two dividing {@code nrPfns}.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} for a negative cursor or a block of
     *     fewer than one page
     */
    public static long blockStart(long cursorPfn, long nrPfns) {
        if (cursorPfn < 0 || nrPfns < 1) {
            throw ZoneDeviceException.invalid(
                    "altmap block of "
                            + nrPfns
                            + " pages at pfn "
                            + cursorPfn
                            + "; accepted: 1 page or more at a pfn of 0 or more");
        }
        long alignment = Long.lowestOneBit(nrPfns);
        return (cursorPfn + alignment - 1) & -alignment;
    }

    /**
     * Vmemmap blocks of {@code blockSize} that hold the struct pages of {@code range}: its memmap
     * {@code [startPfn * 64, endPfn * 64)} rounded out to whole blocks.
     */
    public static long blocksFor(PhysicalRange range, VmemmapBlockSize blockSize) {
        long block = blockSize.bytes();
        long first = Pages.memmapBytes(range.startPfn()) & -block;
        long end = (Pages.memmapBytes(range.endPfn()) + block - 1) & -block;
        return (end - first) / block;
    }

    /**
     * Altmap pages after the reserve that the memmap of the whole of {@code range} takes when its
     * blocks of {@code blockSize} are carved by the rule above: the pages skipped to align the
     * first block, plus every block.
     */
    public static long pagesNeeded(
            PhysicalRange range, long reservePages, VmemmapBlockSize blockSize) {
        long blockPages = blockSize.bytes() / Pages.PAGE_SIZE;
        long cursor = range.startPfn() + reservePages;
        long skipped = blockStart(cursor, blockPages) - cursor;
        return skipped + blocksFor(range, blockSize) * blockPages;
    }

    /**
     * The most altmap pages after the reserve the memmap of {@code range} can take on any arch: the
     * largest of {@link #pagesNeeded} over every {@link VmemmapBlockSize}. An info block must
     * satisfy this, since the media may later be bound on another arch.
     */
    public static long pagesNeededOnAnyArch(PhysicalRange range, long reservePages) {
        long most = 0;
        for (VmemmapBlockSize size : VmemmapBlockSize.values()) {
            most = Math.max(most, pagesNeeded(range, reservePages, size));
        }
        return most;
    }

    /**
     * Checks that {@code altmap} can hold the memmap of {@code range} with blocks of {@code
     * blockSize}.
     *
     * @throws ZoneDeviceException {@link ErrorCode#INVALID} naming the pages needed and the pages
     *     the altmap has free, and the accepted range of {@code free}
     */
    public static void checkFits(
            PhysicalRange range, VmemAltmap altmap, VmemmapBlockSize blockSize) {
        long needed = pagesNeeded(range, altmap.reserve(), blockSize);
        long most = range.nrPages() - altmap.reserve();
        if (altmap.free() < needed) {
            throw ZoneDeviceException.invalid(
                    "altmap "
                            + altmap
                            + " cannot hold the memmap of "
                            + range
                            + ": its "
                            + blocksFor(range, blockSize)
                            + " blocks of "
                            + blockSize.bytes()
                            + " bytes, the first aligned to "
                            + blockSize.bytes()
                            + " bytes after the "
                            + altmap.reserve()
                            + "-page reserve, take "
                            + needed
                            + " pages but only "
                            + altmap.free()
                            + " are free; accepted: free from "
                            + needed
                            + " to "
                            + most
                            + " pages");
        }
    }
}
