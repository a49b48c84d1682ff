package dev.zonedev.api.pfn;

import dev.zonedev.api.NamespaceMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which device an info block describes, told apart by its 16-byte signature, as libnvdimm does: an
 * fsdax pfn device ({@code NVDIMM_PFN_INFO\0}) or a device-dax region ({@code NVDIMM_DAX_INFO\0}).
 * Both share one layout ({@link PfnInfoBlock}).
 */
public enum InfoBlockKind {
    /** A pfn device for a dax filesystem, bound by the pmem driver. */
    FSDAX("NVDIMM_PFN_INFO", NamespaceMode.FSDAX),
    /** A device-dax region, bound by the device-dax driver. */
    DEVDAX("NVDIMM_DAX_INFO", NamespaceMode.DEVDAX);

    /** Length of the signature field in bytes. */
    public static final int SIGNATURE_LENGTH = 16;

    private final byte[] signature;
    private final NamespaceMode mode;

    InfoBlockKind(String text, NamespaceMode mode) {
        this.signature = Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), SIGNATURE_LENGTH);
        this.mode = mode;
    }

    /** The 16 signature bytes, NUL padded; a fresh copy. */
    public byte[] signature() {
        return signature.clone();
    }

    /** The namespace mode this kind of block belongs to. */
    public NamespaceMode mode() {
        return mode;
    }

    /** The kind whose signature equals {@code bytes} exactly, if any. */
    public static Optional<InfoBlockKind> bySignature(byte[] bytes) {
        for (InfoBlockKind k : values()) {
            if (Arrays.equals(k.signature, bytes)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
