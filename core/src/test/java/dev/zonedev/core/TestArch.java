package dev.zonedev.core;

import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.Arch;
import dev.zonedev.api.MemoryHotplug;
import dev.zonedev.api.VmemmapBlockSize;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;

/** An arch for core's own tests (core may not depend on the arch plugins). */
record TestArch(String name, long sectionSize, VmemmapBlockSize vmemmapBlockSize, boolean async)
        implements Arch {
    static TestArch huge() {
        return new TestArch("test-huge", 128L << 20, VmemmapBlockSize.HUGE_2M, true);
    }

    static TestArch base() {
        return new TestArch("test-base", 256L << 20, VmemmapBlockSize.BASE_4K, false);
    }

    @Override
    public int apiVersion() {
        return ZonedevApi.VERSION;
    }

    @Override
    public void addMemory(AddMemoryRequest request, MemoryHotplug hotplug) {
        if (request.async().isPresent() && !async) {
            throw ZoneDeviceException.wouldBlock("test arch has no async");
        }
        hotplug.addPages(request);
    }
}
