package dev.zonedev.arch.x86_64;

import com.google.auto.service.AutoService;
import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.Arch;
import dev.zonedev.api.MemoryHotplug;
import dev.zonedev.api.VmemmapBlockSize;
import dev.zonedev.api.ZonedevApi;

/**
 * x86_64 ({@code arch/x86/mm/init_64.c}): 128 MiB sections, the memmap mapped in 2 MiB blocks
 * backed by huge pages ({@code vmemmap_populate_hugepages}), and asynchronous adds supported: an
 * async request is passed on and returns once its population is scheduled. Stateless and
 * thread-safe.
 */
@AutoService(Arch.class)
public final class X86_64Arch implements Arch {
    /** {@code SECTION_SIZE_BITS} = 27. */
    static final long SECTION_SIZE = 1L << 27;

    @Override
    public String name() {
        return "x86_64";
    }

    @Override
    public int apiVersion() {

        return ZonedevApi.VERSION;
    }

    @Override
    public long sectionSize() {
        return SECTION_SIZE;
    }

    @Override
    public VmemmapBlockSize vmemmapBlockSize() {
        return VmemmapBlockSize.HUGE_2M;
    }

    @Override
    public void addMemory(AddMemoryRequest request, MemoryHotplug hotplug) {
        hotplug.addPages(request);
    }
}
