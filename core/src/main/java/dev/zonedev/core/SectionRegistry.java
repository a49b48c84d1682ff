package dev.zonedev.core;

import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Memory sections and their sub-section maps ({@code mem_section}, {@code subsection_map}): which 2
 * MiB sub-sections of each arch-sized section are present, and which of those have their memmap in
 * the flat vmemmap (every range but one with vmemmap tail reuse). Reserving a range is
 * all-or-nothing: one overlapping sub-section refuses the whole range with "exists" and changes
 * nothing.
 *
 * <p>Storage costs no Java object per section: one bit per sub-section (one {@code long} word per
 * 128 MiB section) in {@link ChunkedBitmap}s, whose chunks of 512 words (64 GiB of physical address
 * space) are allocated when a sub-section in them becomes present and dropped when the last one is
 * released. 64 TiB present costs 4 MiB, 8 MiB when its memmap is flat.
 *
 * <p>Thread-safe: the maps change and are read under this registry's monitor. Each section's memmap
 * population is serialized by its populate lock, one of {@value #POPULATE_LOCK_STRIPES} locks
 * shared by the sections with the same number modulo their count (adjacent sections never share
 * one); whoever needs the locks of several sections takes them with {@link #lockSections}, in lock
 * order, so that no two such callers can deadlock.
 */
final class SectionRegistry {
    /**
     * Populate locks of the engine's registry: section {@code nr} uses lock {@code nr % 257}. A
     * prime, so that sections a power of two apart (where the workers' slices of a range begin)
     * never share a lock.
     */
    static final int POPULATE_LOCK_STRIPES = 257;

    private final long sectionSize;
    private final int sectionShift;
    private final ChunkedBitmap present;
    private final ChunkedBitmap flat;
    private final ReentrantLock[] populateLocks;

    /**
     * A registry for sections of {@code sectionSize} bytes (a power of two, at least 128 MiB) over
     * physical addresses {@code [0, maxPhysicalBytes)}, with {@value #POPULATE_LOCK_STRIPES}
     * populate locks; allocates no chunk yet.
     */
    SectionRegistry(long sectionSize, long maxPhysicalBytes) {
        this(sectionSize, maxPhysicalBytes, POPULATE_LOCK_STRIPES);
    }

    /** As above with {@code stripes} populate locks (model checks use few). */
    SectionRegistry(long sectionSize, long maxPhysicalBytes, int stripes) {
        this.sectionSize = sectionSize;
        this.sectionShift = Long.numberOfTrailingZeros(sectionSize);
        long subSections =
                (maxPhysicalBytes + Pages.SUBSECTION_SIZE - 1) >>> Pages.SUBSECTION_SHIFT;
        this.present = new ChunkedBitmap(subSections);
        this.flat = new ChunkedBitmap(subSections);
        this.populateLocks = new ReentrantLock[stripes];
        for (int i = 0; i < populateLocks.length; i++) {
            populateLocks[i] = new ReentrantLock();
        }
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

    /**
     * Marks every sub-section of {@code range} present, and with {@code flatMemmap} as having its
     * memmap in the flat vmemmap.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#EXISTS} naming the first
     *     sub-section already present, {@link dev.zonedev.api.ErrorCode#OUT_OF_RANGE} for a range
     *     beyond the registry's address space; nothing is marked then
     */
    synchronized void reserve(PhysicalRange range, boolean flatMemmap) {
        long from = range.start() >>> Pages.SUBSECTION_SHIFT;
        long to = subSectionEnd(range.end());
        if (to > present.size()) {
            throw ZoneDeviceException.outOfRange(
                    "range "
                            + range
                            + " ends beyond the sections' address space [0, "
                            + (present.size() << Pages.SUBSECTION_SHIFT)
                            + ")");
        }
        long taken = present.firstSet(from, to);
        if (taken >= 0) {
            long addr = taken << Pages.SUBSECTION_SHIFT;
            throw ZoneDeviceException.exists(
                    "range "
                            + range
                            + " overlaps memory already present at "
                            + new PhysicalRange(addr, Pages.SUBSECTION_SIZE)
                            + " (section "
                            + sectionNr(addr)
                            + ")");
        }
        present.set(from, to);
        if (flatMemmap) {
            flat.set(from, to);
        }
    }

    /** Marks every sub-section of {@code range} absent; drops chunks left empty. */
    synchronized void release(PhysicalRange range) {
        long from = range.start() >>> Pages.SUBSECTION_SHIFT;
        long to = subSectionEnd(range.end());
        present.clear(from, to);
        flat.clear(from, to);
    }

    /** True when any sub-section touching physical {@code [start, end)} is present. */
    synchronized boolean anyPresent(long start, long end) {
        return present.firstSet(start >>> Pages.SUBSECTION_SHIFT, subSectionEnd(end)) >= 0;
    }

    /**
     * True when any sub-section touching physical {@code [start, end)} is present with its memmap
     * in the flat vmemmap.
     */
    synchronized boolean anyFlatPresent(long start, long end) {
        return flat.firstSet(start >>> Pages.SUBSECTION_SHIFT, subSectionEnd(end)) >= 0;
    }

    /**
     * True when a section that {@code range} touches holds present memory whose memmap is in the
     * flat vmemmap (built without tail reuse).
     */
    boolean sharesSectionWithFlat(PhysicalRange range) {
        long from = range.start() & -sectionSize;
        long to = (range.end() + sectionSize - 1) & -sectionSize;
        return anyFlatPresent(from, to);
    }

    /** Bytes of sub-section words allocated now (both maps; the chunk directories aside). */
    synchronized long bitmapBytes() {
        return (present.chunksAllocated() + flat.chunksAllocated())
                * (long) ChunkedBitmap.CHUNK_WORDS
                * Long.BYTES;
    }

    /** The populate lock of section {@code nr}, shared with the sections of the same stripe. */
    ReentrantLock populateLock(long nr) {
        return populateLocks[stripe(nr)];
    }

    /**
     * Takes the populate locks of sections {@code [first, end)}, each lock once, in lock order.
     * Release them with {@link #unlockSections} with the same arguments.
     */
    void lockSections(long first, long end) {
        for (int i = 0; i < populateLocks.length; i++) {
            if (stripeCovers(i, first, end)) {
                populateLocks[i].lock();
            }
        }
    }

    /** Releases what {@link #lockSections} took for {@code [first, end)}. */
    void unlockSections(long first, long end) {
        for (int i = populateLocks.length - 1; i >= 0; i--) {
            if (stripeCovers(i, first, end)) {
                populateLocks[i].unlock();
            }
        }
    }

    /** True while any section's populate lock is held (invariant 6). */
    boolean anyPopulateLockHeld() {
        for (ReentrantLock lock : populateLocks) {
            if (lock.isLocked()) {
                return true;
            }
        }
        return false;
    }

    private int stripe(long nr) {
        return (int) (nr % populateLocks.length);
    }

    /** True when some section of {@code [first, end)} uses lock {@code i}. */
    private boolean stripeCovers(int i, long first, long end) {
        return end - first >= populateLocks.length
                || Math.floorMod(i - first, populateLocks.length) < end - first;
    }

    /** One past the last sub-section touching physical addresses below {@code end}. */
    private static long subSectionEnd(long end) {
        return (end + Pages.SUBSECTION_SIZE - 1) >>> Pages.SUBSECTION_SHIFT;
    }
}
