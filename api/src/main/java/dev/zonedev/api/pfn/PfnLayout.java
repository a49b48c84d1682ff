package dev.zonedev.api.pfn;

import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import dev.zonedev.api.ZoneDeviceException;
import java.util.List;
import java.util.Optional;

/**
 * Where things go in a namespace with a pfn or dax info block ({@code nd_pfn_init}):
 *
 * <pre>
 * [0, 4K)          unused (left for labels, as libnvdimm does)
 * [4K, 8K)         the info block                   } altmap reserve (2 pages)
 * [8K, dataoff)    map=dev: the memmap (altmap free); map=mem: padding to the alignment
 * [dataoff, end)   data, npfns pages
 * </pre>
 *
 * With {@code map=mem} the data starts at the first address after the reserve aligned to {@code
 * align} ({@code ALIGN(start + 8K, align) - start}). With {@code map=dev} it starts after room for
 * the memmap of the whole range: 64 bytes per page rounded up to 2 MiB, plus one 2 MiB block for
 * the alignment of the first memmap block after the reserve and one for a range that does not start
 * on a memmap-block boundary (the kernel's {@code ALIGN(start + 8K + 64 * npfns, max(align,
 * PMD_SIZE))} can fall short by exactly those), aligned to {@code max(align, 2 MiB)}. The altmap is
 * then {@code reserve = 2, free = dataoff / 4096 - 2}, so {@link VmemAltmap#offset()} is the first
 * data page. Alignment is absolute (physical), so 2 MiB and 1 GiB faults line up. Immutable.
 *
 * @param dataOffset bytes from the namespace start to the first data page
 * @param npfns data pages
 * @param map where the memmap lives
 * @param align mapping alignment in bytes
 */
public record PfnLayout(long dataOffset, long npfns, MapLocation map, long align) {
    /** The alignments a pfn or dax device supports: 4 KiB, 2 MiB, 1 GiB. */
    public static final List<Long> SUPPORTED_ALIGNMENTS =
            List.of(Pages.PAGE_SIZE, Pages.PMD_SIZE, Pages.PUD_SIZE);

    /** "4096 (4K), 2097152 (2M), 1073741824 (1G)", for messages. */
    public static String describeAlignments() {
        return "4096 (4K), 2097152 (2M), 1073741824 (1G)";
    }

    /**
     * Checks a requested alignment.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} listing the accepted
     *     values
     */
    public static void checkAlignment(String where, long align) {
        if (!SUPPORTED_ALIGNMENTS.contains(align)) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": alignment "
                            + align
                            + " is not supported; accepted: "
                            + describeAlignments());
        }
    }

    /**
     * Lays out a namespace that has no info block yet.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} for an unsupported
     *     alignment or a namespace too small to hold the info block, the memmap and one aligned
     *     data page
     */
    public static PfnLayout compute(
            String where, PhysicalRange range, long align, MapLocation map) {
        checkAlignment(where, align);
        long start = range.start();
        long size = range.size();
        long dataStart;
        if (map == MapLocation.DEV) {
            long memmap =
                    alignUp(Pages.memmapBytes(size / Pages.PAGE_SIZE), Pages.PMD_SIZE)
                            + 2 * Pages.PMD_SIZE;
            dataStart =
                    alignUp(start + PfnInfoBlock.RESERVE + memmap, Math.max(align, Pages.PMD_SIZE));
        } else {
            dataStart = alignUp(start + PfnInfoBlock.RESERVE, align);
        }
        long dataOffset = dataStart - start;
        long npfns = dataOffset < size ? (size - dataOffset) / Pages.PAGE_SIZE : 0;
        if (npfns <= 0) {
            throw ZoneDeviceException.invalid(
                    where
                            + ": namespace of "
                            + size
                            + " bytes at "
                            + range
                            + " is too small for map="
                            + map.text()
                            + " with alignment "
                            + align
                            + ": the data would start at "
                            + "offset "
                            + dataOffset
                            + "; accepted: a namespace larger than that");
        }
        return new PfnLayout(dataOffset, npfns, map, align);
    }

    /** The layout an info block records. */
    public static PfnLayout of(PfnInfoBlock block) {
        return new PfnLayout(block.dataOffset(), block.npfns(), block.map(), block.align());
    }

    /** The altmap for {@code memremapPages}: present only for {@code map=dev}. */
    public Optional<VmemAltmap> altmap(PhysicalRange range) {
        if (map != MapLocation.DEV) {
            return Optional.empty();
        }
        long reserve = PfnInfoBlock.RESERVE / Pages.PAGE_SIZE;
        return Optional.of(
                VmemAltmap.of(range.startPfn(), reserve, dataOffset / Pages.PAGE_SIZE - reserve));
    }

    /** The pfn of the first data page. */
    public long firstDataPfn(PhysicalRange range) {
        return range.startPfn() + dataOffset / Pages.PAGE_SIZE;
    }

    private static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
