package dev.zonedev.api.testing;

import dev.zonedev.api.NamespaceDevice;
import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PhysicalRange;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/** A namespace fixture over real memory (anonymous or a mapped file), for driver unit tests. */
public record TestNamespace(
        String name,
        NamespaceMode mode,
        PhysicalRange range,
        int nid,
        long align,
        MemorySegment memory,
        boolean persistent,
        Map<String, String> options)
        implements NamespaceDevice {

    public TestNamespace withMode(NamespaceMode newMode) {
        return new TestNamespace(name, newMode, range, nid, align, memory, persistent, options);
    }

    public TestNamespace withOptions(Map<String, String> newOptions) {
        return new TestNamespace(name, mode, range, nid, align, memory, persistent, newOptions);
    }

    public TestNamespace withAlign(long newAlign) {
        return new TestNamespace(name, mode, range, nid, newAlign, memory, persistent, options);
    }

    public TestNamespace withMemory(MemorySegment newMemory, PhysicalRange newRange) {
        return new TestNamespace(name, mode, newRange, nid, align, newMemory, persistent, options);
    }
}
