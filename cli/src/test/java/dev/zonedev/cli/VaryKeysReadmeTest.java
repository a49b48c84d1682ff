package dev.zonedev.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README's table of {@code compare --vary} keys lists exactly the keys {@link VaryKeys} has. */
class VaryKeysReadmeTest {
    @Test
    void readmeListsEveryKey() throws IOException {
        List<String> lines = Files.readAllLines(readme());
        int start = lines.indexOf("| `KEY` | values | applies to |");
        assertTrue(start >= 0, "no --vary key table in README.md");
        List<String> documented = new ArrayList<>();
        Pattern name = Pattern.compile("`([a-z_-]+)`");
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String first = lines.get(i).split("\\|")[1];
            Matcher m = name.matcher(first);
            while (m.find()) {
                documented.add(m.group(1));
            }
        }
        List<String> keys =
                VaryKeys.all(getClass().getClassLoader()).stream().map(VaryKey::name).toList();
        assertEquals(keys.stream().sorted().toList(), documented.stream().sorted().toList());
    }

    private static Path readme() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("README.md"))) {
            p = p.getParent();
        }
        assertTrue(p != null, "README.md not found");
        return p.resolve("README.md");
    }
}
