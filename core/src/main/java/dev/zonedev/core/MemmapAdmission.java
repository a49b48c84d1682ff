package dev.zonedev.core;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.AltmapBlocks;
import dev.zonedev.api.Arch;
import dev.zonedev.api.PagemapRequest;
import dev.zonedev.api.Pages;
import dev.zonedev.api.PhysicalRange;
import dev.zonedev.api.ZoneDeviceException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Admits a pagemap only if the RAM its memmap will pin fits in what the process can really use, so
 * that a namespace too large for the machine is refused with a message instead of getting the
 * process killed by the OOM killer halfway through its initialization. Every pagemap of the engine
 * passes here ({@link Memremap#memremapPages}), whoever creates it: the platform's namespaces,
 * scenarios, API users.
 *
 * <p>A pagemap pins its memmap blocks ({@link AltmapBlocks#blocksFor}) in RAM unless an altmap puts
 * them in a file-backed device; an altmap in anonymous device memory is RAM too. It is admitted
 * when that need fits both (1) the room {@link MemoryProbe} finds ({@code MemAvailable}, the
 * cgroup's limit, the JVM's heap headroom) less what the live pagemaps admitted before will still
 * touch (their need less 64 bytes per page initialized so far), and (2) a limit set with {@value
 * MemoryProbe#LIMIT_PROPERTY}, against everything the live pagemaps were admitted with.
 * Thread-safe: admission is serialized.
 */
@Singleton
final class MemmapAdmission {
    private final MemoryProbe probe;
    private final PhysicalMemory physicalMemory;
    private final Arch arch;
    private final Set<Reservation> live = ConcurrentHashMap.newKeySet();

    @Inject
    MemmapAdmission(MemoryProbe probe, PhysicalMemory physicalMemory, Arch arch) {
        this.probe = probe;
        this.physicalMemory = physicalMemory;
        this.arch = arch;
    }

    /** What one admitted pagemap holds until it is torn down. */
    final class Reservation {
        private final long bytes;
        private volatile DevicePagemap pagemap;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        /** RAM the pagemap was admitted with. */
        long bytes() {
            return bytes;
        }

        /**
         * Ties the reservation to its pagemap, whose progress then lowers {@link #stillToTouch}.
         */
        void track(DevicePagemap p) {
            this.pagemap = p;
        }

        /** Bytes of the need not touched yet: the need less 64 bytes per page initialized. */
        long stillToTouch() {
            DevicePagemap p = pagemap;
            if (p == null) {
                return bytes;
            }
            long done =
                    p.vmemmapReuse()
                            ? p.vmemmapBytesResident()
                            : Pages.memmapBytes(
                                    p.pagesInitializedByWorkers()
                                            + p.pagesInitializedInForeground());
            return Math.max(0, bytes - done);
        }

        /** Gives the reservation back; idempotent. */
        void release() {
            live.remove(this);
        }
    }

    /**
     * Admits {@code request} and holds its need until {@link Reservation#release}.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#OUT_OF_MEMORY} when the need
     *     does not fit, naming the need, what is available and from where, and what would fit;
     *     {@link dev.zonedev.api.ErrorCode#INVALID} for a malformed {@value
     *     MemoryProbe#LIMIT_PROPERTY}
     */
    synchronized Reservation admit(PagemapRequest request) {
        long need = ramNeed(request);
        if (need == 0) {
            return reserve(0);
        }
        MemoryFigures figures = probe.read();
        long pending = 0;
        long held = 0;
        for (Reservation r : live) {
            pending += r.stillToTouch();
            held += r.bytes();
        }
        long available = Math.max(0, figures.room() - pending);
        if (figures.setLimit() >= 0) {
            available = Math.min(available, Math.max(0, figures.setLimit() - held));
        }
        if (need > available) {
            throw refusal(request.range(), need, available, figures, pending, held);
        }
        return reserve(need);
    }

    private Reservation reserve(long bytes) {
        Reservation r = new Reservation(bytes);
        live.add(r);
        return r;
    }

    /** RAM the memmap of {@code request} pins: none when an altmap puts it in a file. */
    long ramNeed(PagemapRequest request) {
        if (request.altmap().isPresent()) {
            DeviceMemory device = physicalMemory.lookup(request.range().startPfn());
            if (device == null || device.persistent()) {
                return 0;
            }
        }
        if (expectsReuse(request)) {
            return CompoundVmemmap.ramNeed(request.range().nrPages(), request.vmemmapShift());
        }
        return AltmapBlocks.blocksFor(request.range(), arch.vmemmapBlockSize())
                * arch.vmemmapBlockSize().bytes();
    }

    /**
     * True when the add will reuse tail vmemmap pages: {@link VmemmapReuse} says so and the range
     * fills its sections (a range sharing a section may have to fall back to full struct pages).
     */
    private boolean expectsReuse(PagemapRequest request) {
        AddMemoryRequest add =
                new AddMemoryRequest(
                        request.nid(),
                        request.range(),
                        request.altmap(),
                        Optional.empty(),
                        request.vmemmapShift());
        return VmemmapReuse.decide(add, false).applies()
                && request.range().isAligned(arch.sectionSize());
    }

    private ZoneDeviceException refusal(
            PhysicalRange range,
            long need,
            long available,
            MemoryFigures figures,
            long pending,
            long held) {
        long fits =
                (available >>> Pages.STRUCT_PAGE_SHIFT << Pages.PAGE_SHIFT)
                        & -Pages.SUBSECTION_SIZE;
        String limit =
                figures.setLimit() >= 0
                        ? " and "
                                + MemoryFigures.human(held)
                                + " that live namespaces were"
                                + " admitted with count against the set limit"
                        : "";
        return ZoneDeviceException.outOfMemory(
                "the memmap of "
                        + range
                        + " ("
                        + MemoryFigures.human(range.size())
                        + ") needs "
                        + MemoryFigures.human(need)
                        + " of RAM ("
                        + Pages.STRUCT_PAGE_SIZE
                        + " bytes per 4 KiB"
                        + " page), but this process can use only "
                        + MemoryFigures.human(available)
                        + ": "
                        + figures.describe()
                        + ", less "
                        + MemoryFigures.human(pending)
                        + " that live namespaces' memmaps"
                        + " will still take"
                        + limit
                        + "; what would fit: a size of at most "
                        + MemoryFigures.human(fits)
                        + " ("
                        + fits
                        + " bytes) with the memmap in RAM, or the memmap on the device itself (an altmap:"
                        + " map=dev with a file= for a namespace); nothing was created");
    }
}
