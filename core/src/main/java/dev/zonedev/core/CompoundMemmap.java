package dev.zonedev.core;

import java.lang.foreign.MemorySegment;

/**
 * Writes and audits the memmap of a pagemap of compound pages ({@code memmap_init_zone_device} with
 * {@code pgmap->vmemmap_shift}): the device pages {@code [compoundStart, compoundEnd)} form
 * compound pages of {@code 2^order} pages, aligned to their size; any page outside them (an
 * altmap's pages, a range edge not aligned to the compound size) is an ordinary struct page in the
 * flat memmap. With a {@link CompoundVmemmap} (vmemmap tail reuse) a compound page writes only the
 * 128 struct pages of its two own vmemmap pages ({@code compound_nr_pages}); without one (an
 * altmap, a section shared with memory whose memmap has no reuse) it writes all {@code 2^order} in
 * the flat memmap.
 *
 * <p>Stateless apart from its configuration; the caller owns the pfns it writes, as in {@link
 * StructPage}. No allocation or lock per page.
 */
final class CompoundMemmap {
    private final MemorySegment memmap;
    private final long vmemmapBase;
    private final int order;
    private final long compoundStart;
    private final long compoundEnd;
    private final CompoundVmemmap reuse;

    /**
     * @param memmap the flat memmap ({@code pfn << 6})
     * @param order the compound order, 1 or more
     * @param compoundStart first head pfn, a multiple of {@code 2^order}
     * @param compoundEnd one past the last compound page, a multiple of {@code 2^order}
     * @param reuse the reused vmemmap of {@code [compoundStart, compoundEnd)}, or null for full
     *     struct pages in the flat memmap
     */
    CompoundMemmap(
            MemorySegment memmap,
            int order,
            long compoundStart,
            long compoundEnd,
            CompoundVmemmap reuse) {
        this.memmap = memmap;
        this.vmemmapBase = memmap.address();
        this.order = order;
        this.compoundStart = compoundStart;
        this.compoundEnd = Math.max(compoundStart, compoundEnd);
        this.reuse = reuse;
    }

    int order() {
        return order;
    }

    /** True when the tails' vmemmap pages are reused. */
    boolean reuses() {
        return reuse != null;
    }

    CompoundVmemmap reuse() {
        return reuse;
    }

    /** The modelled struct page address of {@code pfn} ({@code pfn_to_page}). */
    long address(long pfn) {
        return vmemmapBase + (pfn << 6);
    }

    /**
     * Initializes {@code [from, to)}, which splits no compound page; returns the struct pages
     * written.
     */
    long init(
            long from,
            long to,
            long deviceStartPfn,
            long baseFlags,
            int sectionPfnShift,
            long pgmapId) {
        long cFrom = Math.clamp(compoundStart, from, to);
        long cTo = Math.clamp(compoundEnd, cFrom, to);
        StructPage.initSubRange(
                memmap, from, cFrom, deviceStartPfn, baseFlags, sectionPfnShift, pgmapId);
        StructPage.initSubRange(
                memmap, cTo, to, deviceStartPfn, baseFlags, sectionPfnShift, pgmapId);
        long written = (cFrom - from) + (to - cTo);
        long tails = reuse != null ? CompoundVmemmap.STRUCT_PAGES_WRITTEN - 1 : (1L << order) - 1;
        for (long head = cFrom; head < cTo; head += 1L << order) {
            long flags = StructPage.flags(baseFlags, head, sectionPfnShift);
            if (reuse != null) {
                CompoundPage.init(
                        reuse.pool(),
                        reuse.headFrameOffset(reuse.compoundIndex(head)),
                        tails,
                        flags,
                        pgmapId,
                        order,
                        address(head));
            } else {
                CompoundPage.init(memmap, head << 6, tails, flags, pgmapId, order, address(head));
            }
            written += tails + 1;
        }
        return written;
    }

    /** The segment holding {@code pfn}'s struct page. */
    MemorySegment segmentOf(long pfn) {
        return reuse != null && inCompound(pfn) ? reuse.pool() : memmap;
    }

    /** The offset of {@code pfn}'s struct page in {@link #segmentOf}, through the translation. */
    long offsetOf(long pfn) {
        return reuse != null && inCompound(pfn) ? reuse.offsetOf(pfn) : pfn << 6;
    }

    /** True when {@code pfn} belongs to a compound page. */
    boolean inCompound(long pfn) {
        return pfn >= compoundStart && pfn < compoundEnd;
    }

    /** The head pfn of {@code pfn}'s compound page, by layout. */
    long headOf(long pfn) {
        return compoundStart + ((pfn - compoundStart) & -(1L << order));
    }

    /**
     * The head pfn {@code pfn}'s struct page names ({@code compound_head}): the pfn itself for a
     * head or an ordinary page, the decoded {@code compound_head} for a tail.
     */
    long compoundHeadPfn(long pfn) {
        if (!inCompound(pfn)) {
            return pfn;
        }
        long head = CompoundPage.compoundHead(segmentOf(pfn), offsetOf(pfn));
        return head < 0 ? pfn : (head - vmemmapBase) >>> 6;
    }

    /**
     * True when {@code pfn}'s struct page holds what {@link #init} writes, and for a tail, its head
     * does too. The caller checked that the memmap of {@code pfn} is populated.
     */
    boolean matches(long pfn, int nid, int sectionPfnShift, long deviceStartPfn, long pgmapId) {
        if (!inCompound(pfn)) {
            boolean device = pfn >= deviceStartPfn;
            return StructPage.matches(
                    memmap,
                    pfn,
                    nid,
                    sectionPfnShift,
                    device ? pgmapId : 0L,
                    device ? StructPage.LIST_POISON2 : 0L);
        }
        long head = headOf(pfn);
        long section = head >>> sectionPfnShift;
        boolean headOk =
                CompoundPage.headMatches(
                        segmentOf(head), offsetOf(head), nid, section, pgmapId, order);
        return headOk
                && (pfn == head
                        || CompoundPage.tailMatches(
                                segmentOf(pfn), offsetOf(pfn), nid, section, address(head)));
    }

    /**
     * Audits every struct page of {@code [from, to)}: ordinary pages one by one; a compound page
     * without reuse head and every tail; a compound page with reuse by checking its translation
     * entry, the translation of each of its vmemmap pages (onto its head frame for the first, its
     * tail frame for every other), and then each of its two frames once. That covers every page: a
     * pfn's struct page is read at its vmemmap page's translation plus its slot, so it is a slot of
     * one of the two checked frames, and every slot of both frames was checked (slot 0 of the head
     * frame as the head, the 127 others as tails naming that head). A bad slot of the tail frame
     * counts once for each vmemmap page mapped onto it.
     *
     * @return {pages checked, pages bad, first bad pfn or -1}
     */
    long[] audit(
            long from, long to, int nid, int sectionPfnShift, long deviceStartPfn, long pgmapId) {
        long[] r = {0, 0, -1};
        long cFrom = Math.clamp(compoundStart, from, to);
        long cTo = Math.clamp(compoundEnd, cFrom, to);
        auditOrdinary(r, from, cFrom, nid, sectionPfnShift, deviceStartPfn, pgmapId);
        auditOrdinary(r, cTo, to, nid, sectionPfnShift, deviceStartPfn, pgmapId);
        for (long head = cFrom; head < cTo; head += 1L << order) {
            if (reuse != null) {
                auditReused(r, head, nid, sectionPfnShift, pgmapId);
            } else {
                auditFull(r, head, nid, sectionPfnShift, pgmapId);
            }
        }
        return r;
    }

    private void auditOrdinary(
            long[] r,
            long from,
            long to,
            int nid,
            int sectionPfnShift,
            long deviceStartPfn,
            long pgmapId) {
        for (long pfn = from; pfn < to; pfn++) {
            if (!matches(pfn, nid, sectionPfnShift, deviceStartPfn, pgmapId)) {
                bad(r, pfn, 1);
            }
        }
        r[0] += to - from;
    }

    private void auditFull(long[] r, long head, int nid, int sectionPfnShift, long pgmapId) {
        long section = head >>> sectionPfnShift;
        long n = 1L << order;
        if (!CompoundPage.headMatches(memmap, head << 6, nid, section, pgmapId, order)) {
            bad(r, head, 1);
        }
        long headAddress = address(head);
        for (long pfn = head + 1; pfn < head + n; pfn++) {
            if (!CompoundPage.tailMatches(memmap, pfn << 6, nid, section, headAddress)) {
                bad(r, pfn, 1);
            }
        }
        r[0] += n;
    }

    private void auditReused(long[] r, long head, int nid, int sectionPfnShift, long pgmapId) {
        long n = 1L << order;
        r[0] += n;
        int k = reuse.compoundIndex(head);
        if (reuse.entry(k) != CompoundVmemmap.RESERVE_NR * k + 1) {
            bad(r, head, n); // a translation onto frames not its own: every page reads wrong
            return;
        }
        long headFrame = reuse.headFrameOffset(k);
        long perPage = 64;
        long vmemmapPages = reuse.vmemmapPagesPerCompound();
        for (long j = 0; j < vmemmapPages; j++) {
            long off = reuse.offsetOf(head + j * perPage);
            if (off != headFrame + (j == 0 ? 0 : 4096)) {
                bad(r, head + j * perPage, perPage);
            }
        }
        MemorySegment pool = reuse.pool();
        long section = head >>> sectionPfnShift;
        if (!CompoundPage.headMatches(pool, headFrame, nid, section, pgmapId, order)) {
            bad(r, head, 1);
        }
        long headAddress = address(head);
        for (long slot = 1; slot < 2 * perPage; slot++) {
            if (!CompoundPage.tailMatches(
                    pool, headFrame + (slot << 6), nid, section, headAddress)) {
                // head-frame slots are one page each; a tail-frame slot is read by every vmemmap
                // page after the first
                bad(r, head + slot, slot < perPage ? 1 : vmemmapPages - 1);
            }
        }
    }

    private static void bad(long[] r, long pfn, long count) {
        r[1] += count;
        r[2] = r[2] < 0 ? pfn : Math.min(r[2], pfn);
    }
}
