package dev.zonedev.core;

import dev.zonedev.api.Pages;
import dev.zonedev.api.VmemmapBlockSize;
import dev.zonedev.api.ZoneDeviceException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongPredicate;

/**
 * The vmemmap page-table model ({@code mm/sparse-vmemmap.c}): a five-level tree over memmap offsets
 * recording which memmap blocks are mapped, and the code that populates and depopulates them.
 *
 * <p>Locking, as in the seed: a pgd, a p4d and a pud lock each guard the creation of the next-level
 * table under entries of that level, so sections populating in parallel allocate every table
 * exactly once. Entries below the pud (pmd blocks or pte tables, and ptes) belong to one memory
 * section, because a section's memmap fills whole 2 MiB blocks; the caller holds that section's
 * populate lock. Every lock is released on every path, out-of-memory included.
 */
final class PageTable {
    private static final int ENTRIES = 512;

    /** One 512-entry table; entries are tables, {@link Block}s, or null. */
    private static final class Table {
        final AtomicReferenceArray<Object> entries = new AtomicReferenceArray<>(ENTRIES);
    }

    /** A mapped memmap block: from RAM ({@code altmapPfn < 0}) or from an altmap. */
    record Block(long altmapPfn) {
        static final Block RAM = new Block(-1);
    }

    private final Table pgd = new Table();
    private final ReentrantLock pgdLock = new ReentrantLock();
    private final ReentrantLock p4dLock = new ReentrantLock();
    private final ReentrantLock pudLock = new ReentrantLock();
    private final AtomicLongArray allocations = new AtomicLongArray(VmemmapLevel.values().length);
    private final VmemmapSpace space;
    private final PhysicalMemory physicalMemory;
    private final FaultInjector faults;

    PageTable(VmemmapSpace space, PhysicalMemory physicalMemory, FaultInjector faults) {
        this.space = space;
        this.physicalMemory = physicalMemory;
        this.faults = faults;
    }

    /**
     * Maps every block of memmap offsets {@code [start, end)} not mapped yet. The range is rounded
     * out to whole blocks. Blocks come from {@code altmap} when given, else from RAM. With {@code
     * premapped}, huge RAM blocks are already mapped in the address space (one mapping for a whole
     * range, see {@link #premap}) and are only recorded here.
     *
     * @throws ZoneDeviceException out-of-memory when an allocation fails; blocks mapped before the
     *     failure stay mapped and recorded, no lock stays held
     */
    void populate(
            long start,
            long end,
            VmemmapBlockSize blockSize,
            AltmapAllocator altmap,
            boolean premapped) {
        long block = blockSize.bytes();
        for (long addr = start & -block; addr < end; ) {
            Table pmdTable = pmdTable(addr);
            long pmdEnd = Math.min((addr | (Pages.PMD_SIZE - 1)) + 1, end);
            if (blockSize == VmemmapBlockSize.HUGE_2M) {
                populateHuge(pmdTable, addr, altmap, premapped);
            } else {
                populateBase(pteTable(pmdTable, addr), addr, pmdEnd, altmap);
            }
            addr = (addr | (Pages.PMD_SIZE - 1)) + 1;
        }
    }

    /**
     * Populates the reused vmemmap of the compound pages whose heads lie in pfns {@code [fromPfn,
     * toPfn)} ({@code vmemmap_populate_compound_pages}): one pte table per section (the PMD level)
     * and two frames per compound page (the PTE level), each an allocation that can fail like any
     * other; the tail-only vmemmap pages allocate nothing. The caller holds the section's populate
     * lock.
     *
     * @throws ZoneDeviceException out-of-memory when an allocation fails; compound pages populated
     *     before it stay populated
     */
    void populateCompound(CompoundVmemmap reuse, long fromPfn, long toPfn) {
        long step = reuse.compoundPages();
        long end = Math.min(toPfn, reuse.endPfn());
        long head = reuse.firstHeadFrom(fromPfn);
        if (head < end && !reuse.isPopulated(head)) {
            faults.check(
                    VmemmapLevel.PMD,
                    "pte table for the compound vmemmap of pfn " + Long.toHexString(head));
            allocations.incrementAndGet(VmemmapLevel.PMD.ordinal());
        }
        for (; head < end; head += step) {
            if (!reuse.isPopulated(head)) {
                faults.check(
                        VmemmapLevel.PTE,
                        "vmemmap frames of the compound page at pfn " + Long.toHexString(head));
                reuse.populate(head);
                allocations.addAndGet(VmemmapLevel.PTE.ordinal(), CompoundVmemmap.RESERVE_NR);
            }
        }
    }

    /**
     * Maps huge RAM blocks for the whole of {@code [start, end)} (2 MiB aligned) in one call, so
     * that populating each of its sections later only records the blocks: one change of the address
     * space instead of one per section, which the workers' and consumers' page faults would
     * otherwise queue behind. The caller owns every section of the span exclusively.
     */
    void premap(long start, long end) {
        space.mapRam(start, end - start, true);
    }

    /**
     * Binds the RAM mapped for memmap offsets {@code [start, end)}, not touched yet, to {@code
     * node} ({@link NumaTopology#bindMemory}: {@code mbind} on a real multi-node host, nothing
     * otherwise); returns whether it did.
     */
    boolean bindToNode(long start, long end, NumaTopology numa, int node) {
        return numa.bindMemory(space.memmap().address() + start, end - start, node);
    }

    /**
     * Unmaps every block in {@code [start, end)} for which {@code inUse} (given the block's memmap
     * offset) is false: the recorded ones, and with {@code premapped} also those mapped by {@link
     * #premap} and never recorded. The caller holds the section's populate lock.
     */
    void depopulate(
            long start,
            long end,
            VmemmapBlockSize blockSize,
            LongPredicate inUse,
            boolean premapped) {
        long block = blockSize.bytes();
        VmemmapLevel leaf = leafLevel(blockSize);
        for (long addr = start & -block; addr < end; addr += block) {
            Table table = existingTable(addr, leaf);
            int i = leaf.index(addr);
            boolean recorded = table != null && table.entries.get(i) instanceof Block;
            if ((recorded || premapped) && !inUse.test(addr)) {
                space.unmap(addr, block);
                if (recorded) {
                    table.entries.set(i, null);
                }
            }
        }
    }

    /** True when the block holding memmap offset {@code addr} is mapped. */
    boolean isPopulated(long addr, VmemmapBlockSize blockSize) {
        VmemmapLevel leaf = leafLevel(blockSize);
        Table table = existingTable(addr, leaf);
        return table != null && table.entries.get(leaf.index(addr)) instanceof Block;
    }

    private static VmemmapLevel leafLevel(VmemmapBlockSize blockSize) {
        return blockSize == VmemmapBlockSize.HUGE_2M ? VmemmapLevel.PMD : VmemmapLevel.PTE;
    }

    /** Allocations made so far at {@code level} (tables, blocks or altmap blocks). */
    long allocations(VmemmapLevel level) {
        return allocations.get(level.ordinal());
    }

    /** True while any page-table lock is held (invariant 6). */
    boolean anyLockHeld() {
        return pgdLock.isLocked() || p4dLock.isLocked() || pudLock.isLocked();
    }

    private Table pmdTable(long addr) {
        Table p4d = ensureTable(pgd, addr, VmemmapLevel.PGD, pgdLock);
        Table pud = ensureTable(p4d, addr, VmemmapLevel.P4D, p4dLock);
        return ensureTable(pud, addr, VmemmapLevel.PUD, pudLock);
    }

    private Table ensureTable(Table table, long addr, VmemmapLevel level, ReentrantLock lock) {
        int i = level.index(addr);
        Object entry = table.entries.get(i);
        if (entry != null) {
            return (Table) entry;
        }
        lock.lock();
        try {
            entry = table.entries.get(i);
            if (entry == null) {
                faults.check(level, "table for vmemmap offset " + Long.toHexString(addr));
                entry = new Table();
                allocations.incrementAndGet(level.ordinal());
                table.entries.set(i, entry);
            }
            return (Table) entry;
        } finally {
            lock.unlock();
        }
    }

    private Table pteTable(Table pmdTable, long addr) {
        int i = VmemmapLevel.PMD.index(addr);
        Object entry = pmdTable.entries.get(i);
        if (entry == null) {
            faults.check(
                    VmemmapLevel.PMD, "pte table for vmemmap offset " + Long.toHexString(addr));
            entry = new Table();
            allocations.incrementAndGet(VmemmapLevel.PMD.ordinal());
            pmdTable.entries.set(i, entry);
        }
        return (Table) entry;
    }

    private void populateHuge(
            Table pmdTable, long addr, AltmapAllocator altmap, boolean premapped) {
        int i = VmemmapLevel.PMD.index(addr);
        if (pmdTable.entries.get(i) != null) {
            return;
        }
        faults.check(VmemmapLevel.PMD, "2 MiB block at vmemmap offset " + Long.toHexString(addr));
        Block block =
                premapped && altmap == null
                        ? Block.RAM
                        : mapBlocks(addr, Pages.PMD_SIZE, altmap, true);
        allocations.incrementAndGet(VmemmapLevel.PMD.ordinal());
        pmdTable.entries.set(i, block);
    }

    /** Maps the missing ptes of {@code [addr, end)} in runs, one mmap per contiguous run. */
    private void populateBase(Table pteTable, long addr, long end, AltmapAllocator altmap) {
        long runStart = -1;
        for (long a = addr & -Pages.PAGE_SIZE; a < end; a += Pages.PAGE_SIZE) {
            if (pteTable.entries.get(VmemmapLevel.PTE.index(a)) != null) {
                runStart = flushRun(pteTable, runStart, a, altmap);
                continue;
            }
            // A failure here leaves the current run unmapped and unrecorded.
            faults.check(VmemmapLevel.PTE, "4 KiB page at vmemmap offset " + Long.toHexString(a));
            if (runStart < 0) {
                runStart = a;
            }
        }
        flushRun(pteTable, runStart, (end + Pages.PAGE_SIZE - 1) & -Pages.PAGE_SIZE, altmap);
    }

    /** Maps and records the ptes of {@code [runStart, runEnd)}; returns -1 (no open run). */
    private long flushRun(Table pteTable, long runStart, long runEnd, AltmapAllocator altmap) {
        if (runStart < 0) {
            return -1;
        }
        if (altmap == null) {
            space.mapRam(runStart, runEnd - runStart, false);
            for (long a = runStart; a < runEnd; a += Pages.PAGE_SIZE) {
                allocations.incrementAndGet(VmemmapLevel.PTE.ordinal());
                pteTable.entries.set(VmemmapLevel.PTE.index(a), Block.RAM);
            }
        } else {
            for (long a = runStart; a < runEnd; a += Pages.PAGE_SIZE) {
                Block block = mapBlocks(a, Pages.PAGE_SIZE, altmap, false);
                allocations.incrementAndGet(VmemmapLevel.PTE.ordinal());
                pteTable.entries.set(VmemmapLevel.PTE.index(a), block);
            }
        }
        return -1;
    }

    private Block mapBlocks(long addr, long length, AltmapAllocator altmap, boolean huge) {
        if (altmap == null) {
            space.mapRam(addr, length, huge);
            return Block.RAM;
        }
        long pfn = altmap.allocBlock(length >>> Pages.PAGE_SHIFT);
        allocations.incrementAndGet(VmemmapLevel.ALTMAP.ordinal());
        DeviceMemory device = physicalMemory.lookup(pfn);
        if (device == null) {
            throw ZoneDeviceException.invalid(
                    "altmap pfn " + pfn + " has no device memory registered");
        }
        space.mapDevice(addr, length, device.fd(), device.fileOffset(pfn));
        return new Block(pfn);
    }

    private Table existingTable(long addr, VmemmapLevel leaf) {
        Table t = pgd;
        for (VmemmapLevel level : VmemmapLevel.values()) {
            if (level == leaf) {
                return t;
            }
            Object e = t.entries.get(level.index(addr));
            if (!(e instanceof Table next)) {
                return null;
            }
            t = next;
        }
        return null;
    }
}
