package dev.zonedev.driver.pmem;

import dev.zonedev.api.BadSectorRange;
import dev.zonedev.api.BadSectors;
import dev.zonedev.api.ZoneDeviceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The known-bad sectors of a pmem device ({@code struct badblocks}), in 512-byte sectors from the
 * first data byte. Runs are kept merged and disjoint.
 *
 * <p>Thread-safe: writers ({@link #add}, {@link #clear}) serialize on this object and publish an
 * immutable snapshot; readers ({@link #firstBad}, {@link #list}) read the current snapshot without
 * locking, so {@code directAccess} never blocks on them.
 */
public final class Badblocks implements BadSectors {
    private final long nrSectors;
    private volatile NavigableMap<Long, Long> runs = Collections.emptyNavigableMap();

    /** An empty list for a device of {@code nrSectors} sectors. */
    public Badblocks(long nrSectors) {
        this.nrSectors = nrSectors;
    }

    /**
     * Parses the {@code badblocks=} option: comma-separated {@code S+N} or {@code S} entries; null
     * or blank means none.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#INVALID} for a malformed entry
     *     or one outside the device
     */
    public static Badblocks parse(String option, long nrSectors) {
        Badblocks bb = new Badblocks(nrSectors);
        if (option != null && !option.isBlank()) {
            for (String entry :
                    option.split(",", -1)) { // -1: a trailing comma is an empty entry, refused
                bb.add(BadSectorRange.parse(entry));
            }
        }
        return bb;
    }

    /** Sectors on the device: bad runs must lie in {@code [0, nrSectors)}. */
    public long nrSectors() {
        return nrSectors;
    }

    /**
     * Marks {@code range} bad, merging it with runs it touches.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#OUT_OF_RANGE} when the range
     *     runs past the device
     */
    @Override
    public synchronized void add(BadSectorRange range) {
        checkInside(range);
        TreeMap<Long, Long> next = new TreeMap<>(runs);
        long start = range.sector();
        long end = range.end();
        Map.Entry<Long, Long> before = next.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
            next.remove(before.getKey());
        }
        for (Map.Entry<Long, Long> e = next.ceilingEntry(start);
                e != null && e.getKey() <= end;
                e = next.ceilingEntry(start)) {
            end = Math.max(end, e.getValue());
            next.remove(e.getKey());
        }
        next.put(start, end);
        runs = Collections.unmodifiableNavigableMap(next);
    }

    /**
     * Marks {@code range} good again (after the sectors were repaired), splitting runs.
     *
     * @throws ZoneDeviceException {@link dev.zonedev.api.ErrorCode#OUT_OF_RANGE} when the range
     *     runs past the device
     */
    @Override
    public synchronized void clear(BadSectorRange range) {
        checkInside(range);
        TreeMap<Long, Long> next = new TreeMap<>(runs);
        long start = range.sector();
        long end = range.end();
        Map.Entry<Long, Long> before = next.lowerEntry(start);
        if (before != null && before.getValue() > start) {
            next.put(before.getKey(), start);
            if (before.getValue() > end) {
                next.put(end, before.getValue());
            }
        }
        for (Map.Entry<Long, Long> e = next.ceilingEntry(start);
                e != null && e.getKey() < end;
                e = next.higherEntry(e.getKey())) {
            next.remove(e.getKey());
            if (e.getValue() > end) {
                next.put(end, e.getValue());
                break;
            }
        }
        runs = Collections.unmodifiableNavigableMap(next);
    }

    /** The bad runs in sector order. */
    @Override
    public List<BadSectorRange> list() {
        List<BadSectorRange> out = new ArrayList<>();
        runs.forEach((s, e) -> out.add(new BadSectorRange(s, e - s)));
        return List.copyOf(out);
    }

    /** True when no sector is bad. */
    public boolean isEmpty() {
        return runs.isEmpty();
    }

    /**
     * The first bad sector in {@code [start, end)}, or -1 when they are all good ({@code
     * badblocks_check}).
     */
    public long firstBad(long start, long end) {
        if (start >= end) {
            return -1; // an empty range holds no sector, so no bad one
        }
        NavigableMap<Long, Long> snapshot = runs;
        Map.Entry<Long, Long> before = snapshot.floorEntry(start);
        if (before != null && before.getValue() > start) {
            return start;
        }
        Long next = snapshot.higherKey(start);
        return next != null && next < end ? next : -1;
    }

    private void checkInside(BadSectorRange range) {
        if (range.end() > nrSectors) {
            throw ZoneDeviceException.outOfRange(
                    "bad sector range "
                            + range
                            + " runs past the device; accepted:"
                            + " sectors 0.."
                            + (nrSectors - 1));
        }
    }
}
