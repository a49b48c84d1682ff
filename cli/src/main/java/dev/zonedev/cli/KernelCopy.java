package dev.zonedev.cli;

import dev.zonedev.api.DaxDevice;
import dev.zonedev.api.DirectAccess;
import dev.zonedev.api.Pages;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Copies data to or from a device through its kernel-address view, as fsdax does. Stateless. */
final class KernelCopy {
    private KernelCopy() {}

    /**
     * Copies {@code bytes} to ({@code write}) or from the device at byte {@code offset}, asking for
     * no pfn, so it never waits for the memmap. Throws what {@code directAccess} throws.
     */
    static void transfer(DaxDevice dev, long offset, byte[] bytes, boolean write) {
        long done = 0;
        while (done < bytes.length) {
            long pos = offset + done;
            long pgoff = pos / Pages.PAGE_SIZE;
            long inPage = pos % Pages.PAGE_SIZE;
            long pages = (inPage + bytes.length - done + Pages.PAGE_SIZE - 1) / Pages.PAGE_SIZE;
            DirectAccess da = dev.directAccess(pgoff, pages, false);
            long n = Math.min(bytes.length - done, da.availablePages() * Pages.PAGE_SIZE - inPage);
            MemorySegment k = da.kernelAddress();
            if (write) {
                MemorySegment.copy(bytes, (int) done, k, ValueLayout.JAVA_BYTE, inPage, (int) n);
            } else {
                MemorySegment.copy(k, ValueLayout.JAVA_BYTE, inPage, bytes, (int) done, (int) n);
            }
            done += n;
        }
    }
}
