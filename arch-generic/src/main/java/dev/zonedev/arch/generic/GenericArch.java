package dev.zonedev.arch.generic;

import com.google.auto.service.AutoService;
import dev.zonedev.api.AddMemoryRequest;
import dev.zonedev.api.Arch;
import dev.zonedev.api.MemoryHotplug;
import dev.zonedev.api.VmemmapBlockSize;
import dev.zonedev.api.ZoneDeviceException;
import dev.zonedev.api.ZonedevApi;

/**
 * Every arch the seed did not teach async ({@code ia64}, {@code powerpc}, {@code s390}, {@code sh},
 * {@code x86_32}): 256 MiB sections, the memmap mapped in 4 KiB base pages ({@code
 * vmemmap_populate_basepages}), and an async request answered with would-block and nothing else
 * done, so the caller retries synchronously. Stateless and thread-safe.
 */
@AutoService(Arch.class)
public final class GenericArch implements Arch {
    static final long SECTION_SIZE = 1L << 28;

    @Override
    public String name() {
        return "generic";
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
        return VmemmapBlockSize.BASE_4K;
    }

    @Override
    public void addMemory(AddMemoryRequest request, MemoryHotplug hotplug) {
        if (request.async().isPresent()) {
            throw ZoneDeviceException.wouldBlock(
                    "arch generic cannot add "
                            + request.range()
                            + " asynchronously; add it synchronously");
        }
        hotplug.addPages(request);
    }
}
