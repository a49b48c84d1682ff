package dev.zonedev.core;

import dev.zonedev.api.ZoneDeviceException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the memmap's struct pages are written; the words written are the same either way, so the
 * audit checks both alike. Chosen per engine ({@link EngineConfig#pageInit()}); it applies to
 * pagemaps of ordinary struct pages, while a pagemap of compound pages is always written by its
 * compound writer.
 */
public enum PageInit {
    /** Each of a page's eight words is stored one by one ({@code __init_single_page}). */
    FIELDS,

    /**
     * One template struct page per pagemap is copied into each page and only the pfn-dependent word
     * (the flags word's section bits) is refreshed, once per section: a section's pages are then
     * one 64-byte pattern, written as block copies ({@link StructPageTemplate}).
     */
    TEMPLATE;

    /** The name users type: {@code fields} or {@code template}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The page writer named {@code label} (case-insensitive).
     *
     * @throws ZoneDeviceException INVALID_ARGUMENT naming the value and the accepted ones
     */
    public static PageInit parse(String label) {
        for (PageInit p : values()) {
            if (p.label().equalsIgnoreCase(label)) {
                return p;
            }
        }
        throw ZoneDeviceException.invalid(
                "page init '" + label + "' is not known; accepted: " + accepted());
    }

    /** The accepted labels, comma-separated: {@code fields, template}. */
    public static String accepted() {
        return Arrays.stream(values()).map(PageInit::label).collect(Collectors.joining(", "));
    }
}
