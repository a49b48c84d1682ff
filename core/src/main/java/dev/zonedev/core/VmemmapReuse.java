package dev.zonedev.core;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.PhysicalRange;

/**
 * Whether a hot-added range of compound pages gets vmemmap tail reuse ({@code vmemmap_can_optimize}
 * and the checks of {@code vmemmap_populate_compound_pages}), and why not. Immutable.
 *
 * @param applies true when only the head and first tail vmemmap page of each compound page get
 *     frames of their own
 * @param reason why reuse does not apply ("" when it does, or when the pages are not compound)
 */
record VmemmapReuse(boolean applies, String reason) {
    static final VmemmapReuse YES = new VmemmapReuse(true, "");
    static final VmemmapReuse NOT_COMPOUND = new VmemmapReuse(false, "");
    static final String ALTMAP = "altmap (map=dev): the memmap lives on the device";
    static final String SMALL = "compound page's memmap fits in its two own vmemmap pages";
    static final String UNALIGNED = "range not aligned to the compound page size";
    static final String SHARED_SECTION =
            "shares a section with memory whose memmap was built without reuse";

    /**
     * Decides for {@code request}; {@code sharesSectionWithoutReuse} tells whether a section the
     * range touches already holds memory whose memmap has no reuse (the 2026 fix: ZONE_DEVICE
     * memory hot-added into a partly used section fell back to full struct pages for that reason,
     * after reuse had left its tails uninitialized).
     */
    static VmemmapReuse decide(AddMemoryRequest request, boolean sharesSectionWithoutReuse) {
        int order = request.vmemmapShift();
        if (order == 0) {
            return NOT_COMPOUND;
        }
        if (!CompoundVmemmap.canOptimize(order)) {
            return new VmemmapReuse(false, SMALL);
        }
        if (request.altmap().isPresent()) {
            return new VmemmapReuse(false, ALTMAP);
        }
        PhysicalRange range = request.range();
        long size = 1L << order;
        if ((range.startPfn() & (size - 1)) != 0 || (range.endPfn() & (size - 1)) != 0) {
            return new VmemmapReuse(false, UNALIGNED);
        }
        if (sharesSectionWithoutReuse) {
            return new VmemmapReuse(false, SHARED_SECTION);
        }
        return YES;
    }
}
