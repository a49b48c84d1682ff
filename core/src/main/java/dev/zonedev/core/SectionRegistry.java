package dev.zonedev.core;

import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.util.BitSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Memory sections and their sub-section maps ({@code mem_section}, {@code subsection_map}): which 2
 * MiB sub-sections of each arch-sized section are present. Reserving a range is all-or-nothing: one
 * overlapping sub-section refuses the whole range with "exists" and changes nothing. Thread-safe:
 * the maps change under this registry's monitor; each section also has a populate lock that
 * serializes the population of its memmap blocks.
 */
final class SectionRegistry {
    private final long sectionSize;
    private final int sectionShift;
    private final ConcurrentHashMap<Long, Section> sections = new ConcurrentHashMap<>();

    /** One memory section: its present sub-sections and the lock for its memmap blocks. */
    static final class Section {
        final long nr;
        final BitSet present = new BitSet();
        final ReentrantLock populateLock = new ReentrantLock();

        Section(long nr) {
            this.nr = nr;
        }
    }

    SectionRegistry(long sectionSize) {
        this.sectionSize = sectionSize;
        this.sectionShift = Long.numberOfTrailingZeros(sectionSize);
    }

    long sectionSize() {
        return sectionSize;
    }

    /** log2 of the pages in a section. */
    int sectionPfnShift() {
        return sectionShift - Pages.PAGE_SHIFT;
    }

    /** Section number of a physical address. */
    long sectionNr(long physAddr) {
        return physAddr >>> sectionShift;
    }

    /** The section object, created on first use. */
    Section section(long nr) {
        return sections.computeIfAbsent(nr, Section::new);
    }

    /**
     * Marks every sub-section of {@code range} present.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#EXISTS} naming the first
     *     sub-section already present; nothing is marked then
     */
    synchronized void reserve(PhysicalRange range) {
        for (long nr = sectionNr(range.start()); nr <= sectionNr(range.end() - 1); nr++) {
            Section s = sections.get(nr);
            if (s != null) {
                int present = s.present.nextSetBit(fromIndex(nr, range.start()));
                if (present >= 0 && present < toIndex(nr, range.end())) {
                    long addr = nr * sectionSize + ((long) present << Pages.SUBSECTION_SHIFT);
                    throw ZoneDeviceException.exists(
                            "range "
                                    + range
                                    + " overlaps memory already present at "
                                    + new PhysicalRange(addr, Pages.SUBSECTION_SIZE)
                                    + " (section "
                                    + nr
                                    + ")");
                }
            }
        }
        for (long nr = sectionNr(range.start()); nr <= sectionNr(range.end() - 1); nr++) {
            section(nr).present.set(fromIndex(nr, range.start()), toIndex(nr, range.end()));
        }
    }

    /** Marks every sub-section of {@code range} absent. */
    synchronized void release(PhysicalRange range) {
        for (long nr = sectionNr(range.start()); nr <= sectionNr(range.end() - 1); nr++) {
            Section s = sections.get(nr);
            if (s != null) {
                s.present.clear(fromIndex(nr, range.start()), toIndex(nr, range.end()));
            }
        }
    }

    /** True when any sub-section touching physical {@code [start, end)} is present. */
    synchronized boolean anyPresent(long start, long end) {
        long from = start & -Pages.SUBSECTION_SIZE;
        for (long nr = sectionNr(from); nr <= sectionNr(end - 1); nr++) {
            Section s = sections.get(nr);
            if (s != null) {
                int present = s.present.nextSetBit(fromIndex(nr, from));
                if (present >= 0 && present < toIndex(nr, end)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True while any section's populate lock is held (invariant 6). */
    boolean anyPopulateLockHeld() {
        for (Section s : sections.values()) {
            if (s.populateLock.isLocked()) {
                return true;
            }
        }
        return false;
    }

    /** First sub-section index of section {@code nr} at or after physical {@code start}. */
    private int fromIndex(long nr, long start) {
        long sectionStart = nr * sectionSize;
        return start <= sectionStart
                ? 0
                : (int) ((start - sectionStart) >>> Pages.SUBSECTION_SHIFT);
    }

    /** One past the last sub-section index of section {@code nr} below physical {@code end}. */
    private int toIndex(long nr, long end) {
        long sectionStart = nr * sectionSize;
        long count = sectionSize >>> Pages.SUBSECTION_SHIFT;
        return end >= sectionStart + sectionSize
                ? (int) count
                : (int)
                        ((end - sectionStart + Pages.SUBSECTION_SIZE - 1)
                                >>> Pages.SUBSECTION_SHIFT);
    }
}
