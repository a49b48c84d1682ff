package dev.zonedev.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zonedev.api.MemmapState;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.VmemAltmap;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Compound pagemaps, vmemmap tail reuse, its fallbacks and pageblocks: invariant 11. */
class CompoundPagemapTest {
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;
    static final int ORDER_2M = 9;
    static final int ORDER_1G = 18;
    private Engine engine;

    private Engine engine() {
        engine =
                Engine.create(
                        EngineConfig.defaults()
                                .withMaxPhysicalBytes(1L << 40)
                                .withArchInstance(TestArch.huge())
                                .withWorkers(2)
                                .withRangesPerWorker(16));
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private DevicePagemap compound(long start, long size, int order) {
        return engine.memremapPages(
                new PagemapRequest(
                        new PhysicalRange(start, size), 0, Optional.empty(), true, order));
    }

    @Test
    void twoMegabyteCompoundPagesWrite128StructPagesAndKeepTwoFramesEach() {
        engine();
        DevicePagemap p = compound(4 * GIB, GIB, ORDER_2M);
        p.sync();
        MemmapAudit audit = p.audit();
        assertTrue(audit.ok(), audit.toString());
        long compounds = GIB / (2 * MIB);
        assertEquals(GIB / 4096, audit.pagesChecked());
        assertEquals(compounds, audit.pageblocksChecked());
        assertEquals(ORDER_2M, p.compoundOrder());
        assertTrue(p.vmemmapReuse());
        assertEquals("", p.noReuseReason());
        assertEquals(compounds * 128, p.structPagesWritten());
        assertEquals(compounds * 8192, p.vmemmapBytesResident());
        assertEveryTailResolvesToItsHead(p);
    }

    @Test
    void oneGigabyteCompoundPagesResolveEveryTailAndMarkEveryPageblock() {
        engine();
        DevicePagemap p = compound(4 * GIB, 2 * GIB, ORDER_1G);
        p.sync();
        MemmapAudit audit = p.audit();
        assertTrue(audit.ok(), audit.toString());
        assertEquals(2 * GIB / (2 * MIB), audit.pageblocksChecked(), "every 2 MiB pageblock");
        assertEquals(2 * 128, p.structPagesWritten());
        assertEquals(2 * 8192, p.vmemmapBytesResident());
        assertEquals(2, p.initializer().nrSubRanges(), "one sub-range per compound page");
        assertEveryTailResolvesToItsHead(p);
        CompoundMemmap c = p.initializer().compound();
        long head = p.range().startPfn();
        MemorySegment seg = c.segmentOf(head);
        long off = c.offsetOf(head);
        assertTrue((seg.get(ValueLayout.JAVA_LONG, off) & CompoundPage.PG_HEAD) != 0);
        assertEquals(ORDER_1G, seg.get(ValueLayout.JAVA_LONG, off + StructPage.PRIVATE));
        long tail = head + 200_000;
        assertEquals(
                0,
                c.segmentOf(tail).get(ValueLayout.JAVA_INT, c.offsetOf(tail) + 52),
                "tail refcount");
        assertEquals(
                c.address(head) | 1,
                c.segmentOf(tail).get(ValueLayout.JAVA_LONG, c.offsetOf(tail) + 8));
    }

    private static void assertEveryTailResolvesToItsHead(DevicePagemap p) {
        CompoundMemmap c = p.initializer().compound();
        long size = 1L << c.order();
        for (long pfn = p.range().startPfn(); pfn < p.range().endPfn(); pfn++) {
            long head = pfn & -size;
            if (c.compoundHeadPfn(pfn) != head) {
                throw new AssertionError("pfn " + pfn + " resolves to " + c.compoundHeadPfn(pfn));
            }
        }
    }

    @Test
    void memmapSyncOfAnyTailInitializesTheWholeCompoundPage() {
        engine();
        engine.backgroundGate().hold();
        DevicePagemap p = compound(4 * GIB, 2 * GIB, ORDER_1G);
        long head = p.range().startPfn() + (1L << ORDER_1G);
        p.memmapSync(head + 123_457, 1);
        assertTrue(p.isPageInitialized(head));
        assertTrue(p.isPageInitialized(head + 1));
        assertTrue(p.isPageInitialized(head + (1L << ORDER_1G) - 1));
        assertFalse(p.isPageInitialized(p.range().startPfn()), "the other compound page waits");
        assertEquals(MemmapState.ACTIVE, p.memmapState());
        engine.backgroundGate().release();
        p.sync();
        assertTrue(p.audit().ok());
    }

    @Test
    void anAltmapFallsBackToFullStructPages() {
        engine();
        PhysicalRange range = new PhysicalRange(4 * GIB, 512 * MIB);
        DeviceMemory device = DeviceMemory.anonymous("pmem0", range);
        engine.physicalMemory().register(device);
        long memmapPages = 512 * MIB / 4096 * 64 / 4096;
        // data aligned to 2 MiB after the reserve and the memmap, as PfnLayout does
        long offset = (2 + memmapPages + 1024 + 511) & -512L;
        VmemAltmap altmap = VmemAltmap.of(range.startPfn(), 2, offset - 2);
        DevicePagemap p =
                engine.memremapPages(
                        new PagemapRequest(range, 0, Optional.of(altmap), true, ORDER_2M));
        p.sync();
        MemmapAudit audit = p.audit();
        assertTrue(audit.ok(), audit.toString());
        assertFalse(p.vmemmapReuse());
        assertEquals(VmemmapReuse.ALTMAP, p.noReuseReason());
        assertEquals(range.nrPages() - 2, p.structPagesWritten(), "every tail written");
        assertEveryTailResolvesToItsHeadFrom(p, p.firstDevicePfn());
        p.close();
        device.close();
    }

    private static void assertEveryTailResolvesToItsHeadFrom(DevicePagemap p, long from) {
        CompoundMemmap c = p.initializer().compound();
        long size = 1L << c.order();
        for (long pfn = from; pfn < p.range().endPfn(); pfn++) {
            assertEquals(pfn & -size, c.compoundHeadPfn(pfn));
        }
    }

    @Test
    void aSectionSharedWithMemoryWithoutReuseFallsBackToFullStructPages() {
        engine();
        DevicePagemap ordinary =
                engine.memremapPages(
                        new PagemapRequest(
                                new PhysicalRange(4 * GIB, 64 * MIB), 0, Optional.empty(), true));
        DevicePagemap p = compound(4 * GIB + 64 * MIB, 64 * MIB, ORDER_2M);
        p.sync();
        ordinary.sync();
        assertFalse(p.vmemmapReuse());
        assertEquals(VmemmapReuse.SHARED_SECTION, p.noReuseReason());
        assertEquals(64 * MIB / 4096, p.structPagesWritten());
        MemmapAudit audit = p.audit();
        assertTrue(audit.ok(), audit.toString());
        assertTrue(ordinary.audit().ok());
        assertEveryTailResolvesToItsHead(p);
        DevicePagemap alone = compound(8 * GIB, 128 * MIB, ORDER_2M);
        assertTrue(alone.vmemmapReuse(), "a section of its own reuses");
    }

    @Test
    void aFlatBlockInAReuseRangesSectionIsUnmappedWithTheLastFlatRange() {
        engine();
        DevicePagemap reuse = compound(4 * GIB, 64 * MIB, ORDER_2M);
        DevicePagemap flat = ordinary(4 * GIB + 64 * MIB, 64 * MIB);
        reuse.sync();
        flat.sync();
        assertTrue(reuse.vmemmapReuse(), "the reuse range came first: its section was its own");
        long flatPfn = flat.range().startPfn();
        AddedRange flatRange = flat.addedRange();
        assertTrue(flatRange.isMemmapMapped(flatPfn), "the section's flat 2 MiB memmap block");
        flat.close();
        assertFalse(
                flatRange.isMemmapMapped(flatPfn),
                "no flat memory is left in the block: reuse reads its own frames");
        MemmapAudit audit = reuse.audit();
        assertTrue(audit.ok(), audit.toString());
        assertEveryTailResolvesToItsHead(reuse);

        DevicePagemap again = ordinary(4 * GIB + 64 * MIB, 64 * MIB);
        again.sync();
        assertTrue(again.audit().ok(), "a flat range re-added beside the reuse range");
        reuse.close();
        assertTrue(
                again.addedRange().isMemmapMapped(flatPfn),
                "removing the reuse range keeps the block the flat range uses");
        assertTrue(again.audit().ok());
        again.close();
        assertFalse(again.addedRange().isMemmapMapped(flatPfn));
        assertFalse(engine.testing().anyVmemmapLockHeld());
    }

    private DevicePagemap ordinary(long start, long size) {
        return engine.memremapPages(
                new PagemapRequest(new PhysicalRange(start, size), 0, Optional.empty(), true));
    }

    @Test
    void theAuditFailsOnACorruptedSharedTailAndCountsEveryPageReadingIt() {
        engine();
        DevicePagemap p = compound(4 * GIB, GIB, ORDER_1G);
        p.sync();
        CompoundMemmap c = p.initializer().compound();
        long tail = p.range().startPfn() + 5000; // in an aliased vmemmap page
        MemorySegment seg = c.segmentOf(tail);
        long off = c.offsetOf(tail);
        long word = seg.get(ValueLayout.JAVA_LONG, off + 8);
        seg.set(ValueLayout.JAVA_LONG, off + 8, word + 64); // names the next page as head
        MemmapAudit audit = p.audit();
        assertFalse(audit.ok());
        assertEquals(4095, audit.pagesBad(), "one shared tail read by 4095 vmemmap pages");
        assertFalse(p.isPageInitialized(tail));
        seg.set(ValueLayout.JAVA_LONG, off + 8, word);
        assertTrue(p.audit().ok());
    }

    @Test
    void theAuditFailsOnACorruptedFullTailAndOnAWrongTranslation() {
        engine();
        DevicePagemap shared =
                engine.memremapPages(
                        new PagemapRequest(
                                new PhysicalRange(4 * GIB, 2 * MIB), 0, Optional.empty(), true));
        DevicePagemap p = compound(4 * GIB + 2 * MIB, 126 * MIB, ORDER_2M);
        p.sync();
        shared.sync();
        long tail = p.range().startPfn() + 700;
        MemorySegment memmap = p.initializer().memmap();
        memmap.set(ValueLayout.JAVA_INT, (tail << 6) + 52, 1); // refcount of a tail
        MemmapAudit audit = p.audit();
        assertEquals(1, audit.pagesBad());
        assertEquals(tail, audit.firstBadPfn());
        memmap.set(ValueLayout.JAVA_INT, (tail << 6) + 52, 0);
        assertTrue(p.audit().ok());

        DevicePagemap r = compound(8 * GIB, GIB, ORDER_2M);
        r.sync();
        CompoundVmemmap v = r.initializer().compound().reuse();
        int entry = v.entry(3);
        v.setEntry(3, v.entry(4)); // compound page 3 translated onto page 4's frames
        MemmapAudit wrong = r.audit();
        assertEquals(512, wrong.pagesBad());
        assertEquals(r.range().startPfn() + 3 * 512, wrong.firstBadPfn());
        v.setEntry(3, entry);
        assertTrue(r.audit().ok());
    }

    @Test
    void theAuditFailsOnAnUnmarkedPageblock() {
        engine();
        DevicePagemap p = compound(4 * GIB, GIB, ORDER_1G);
        p.sync();
        long pfn = p.range().startPfn() + 300 * 512; // a pageblock deep inside the 1 GiB page
        p.initializer().pageblocks().set(pfn, (byte) 0);
        MemmapAudit audit = p.audit();
        assertFalse(audit.ok());
        assertEquals(1, audit.pageblocksBad());
        assertEquals(0, audit.pagesBad());
        p.initializer().pageblocks().set(pfn, Pageblocks.MIGRATE_MOVABLE);
        assertTrue(p.audit().ok());
    }

    @Test
    void teardownDuringInitAndReAddEndVerified() {
        engine();
        engine.backgroundGate().hold();
        DevicePagemap p = compound(4 * GIB, 2 * GIB, ORDER_1G);
        p.memmapSync(p.range().startPfn() + 7, 1);
        p.close();
        engine.backgroundGate().release();
        DevicePagemap again = compound(4 * GIB, 2 * GIB, ORDER_1G);
        again.sync();
        assertTrue(again.vmemmapReuse());
        MemmapAudit audit = again.audit();
        assertTrue(audit.ok(), audit.toString());
        assertEquals(2 * 8192, again.vmemmapBytesResident());
    }
}
