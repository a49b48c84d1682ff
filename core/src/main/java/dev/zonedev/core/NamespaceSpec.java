package dev.zonedev.core;

import dev.zonedev.api.NamespaceMode;
import dev.zonedev.api.PageFlags;
import dev.zonedev.api.Pages;
import dev.zonedev.api.ZoneDeviceException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a user asks for when creating a namespace. Immutable; validated on construction.
 *
 * @param name 1 to 64 characters of letters, digits, {@code . _ -}
 * @param size bytes, a positive multiple of 2 MiB
 * @param mode raw, fsdax or devdax
 * @param align bytes, a power of two from 4 KiB to 1 GiB
 * @param file the backing file, or empty for anonymous memory
 * @param nid NUMA node, 0 to 1023
 * @param options driver options besides those above ({@code map=mem|dev}, {@code driver=NAME},
 *     ...), and the platform's {@value #OPTION_FORCE}{@code =true|false}: claim an existing file
 *     that holds data but no zonedev namespace (its contents are overwritten)
 */
public record NamespaceSpec(
        String name,
        long size,
        NamespaceMode mode,
        long align,
        Optional<Path> file,
        int nid,
        Map<String, String> options) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Default alignment: 2 MiB, as ndctl creates namespaces. */
    public static final long DEFAULT_ALIGN = Pages.PMD_SIZE;

    /** Option letting the platform claim an existing file that holds foreign data. */
    public static final String OPTION_FORCE = "force";

    public NamespaceSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ZoneDeviceException.invalid(
                    "namespace name \""
                            + name
                            + "\" is not valid; accepted: 1 to 64 letters,"
                            + " digits, '.', '_' or '-'");
        }
        if (size <= 0 || size % Pages.SUBSECTION_SIZE != 0) {
            throw ZoneDeviceException.invalid(
                    "namespace "
                            + name
                            + ": size "
                            + size
                            + " is not valid; accepted: a"
                            + " positive multiple of 2M");
        }
        if (Long.bitCount(align) != 1 || align < Pages.PAGE_SIZE || align > Pages.PUD_SIZE) {
            throw ZoneDeviceException.invalid(
                    "namespace "
                            + name
                            + ": align "
                            + align
                            + " is not valid; accepted: a"
                            + " power of two from 4K to 1G");
        }
        PageFlags.checkNode("namespace " + name + ": ", nid);
        ZoneDeviceException.requirePresent(mode, "mode");
        ZoneDeviceException.requirePresent(file, "file");
        options = Map.copyOf(ZoneDeviceException.requirePresent(options, "options"));
        String force = options.get(OPTION_FORCE);
        if (force != null && !force.equals("true") && !force.equals("false")) {
            throw ZoneDeviceException.invalid(
                    "namespace "
                            + name
                            + ": "
                            + OPTION_FORCE
                            + "="
                            + force
                            + " is not valid; accepted: force=true (claim a file holding foreign data) or force=false");
        }
    }

    /**
     * True when {@value #OPTION_FORCE}{@code =true}: an existing file holding foreign data may be
     * claimed.
     */
    public boolean force() {
        return "true".equals(options.get(OPTION_FORCE));
    }

    /** An anonymous namespace of {@code size} bytes in {@code mode} with default alignment. */
    public static NamespaceSpec of(String name, long size, NamespaceMode mode) {
        return new NamespaceSpec(name, size, mode, DEFAULT_ALIGN, Optional.empty(), 0, Map.of());
    }

    /** The same spec with one more driver option. */
    public NamespaceSpec withOption(String key, String value) {
        Map<String, String> all = new LinkedHashMap<>(options);
        all.put(key, value);
        return new NamespaceSpec(name, size, mode, align, file, nid, all);
    }

    /** The same spec backed by {@code path}. */
    public NamespaceSpec withFile(Path path) {
        return new NamespaceSpec(name, size, mode, align, Optional.of(path), nid, options);
    }

    /** The same spec with another alignment. */
    public NamespaceSpec withAlign(long bytes) {
        return new NamespaceSpec(name, size, mode, bytes, file, nid, options);
    }
}
