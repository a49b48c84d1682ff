package dev.zonedev.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * The mark zonedev leaves on a backing file it creates: the extended attribute {@value #ATTRIBUTE}
 * holding the namespace name. It lets a file without an info block (a raw namespace) be reopened
 * later without {@code force=true}. Best effort: on a filesystem without user extended attributes
 * nothing is marked and {@link #isPresent} answers false. Stateless and thread-safe.
 */
final class CreatorMark {
    /** The extended attribute's full name. */
    static final String ATTRIBUTE = "user.zonedev.namespace";

    private static final String NAME = ATTRIBUTE.substring("user.".length());

    private CreatorMark() {}

    /**
     * Marks {@code file} as created by zonedev for {@code namespace}; silently does nothing where
     * unsupported.
     */
    static void write(Path file, String namespace) {
        try {
            UserDefinedFileAttributeView view =
                    Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view != null) {
                view.write(NAME, ByteBuffer.wrap(namespace.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // unmarked: only a raw namespace notices (reopening it needs force=true)
        }
    }

    /** True when {@code file} carries the mark. */
    static boolean isPresent(Path file) {
        try {
            UserDefinedFileAttributeView view =
                    Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            return view != null && view.list().contains(NAME);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
