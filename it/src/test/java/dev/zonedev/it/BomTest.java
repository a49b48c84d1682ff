package dev.zonedev.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM names every published module of the reactor, at the reactor's version, and inherits
 * nothing.
 */
class BomTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void managesEveryModuleAtTheReactorVersion() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        String version = child(parent.getDocumentElement(), "version");
        Map<String, String> managed = managedVersions(parse(ROOT.resolve("bom/pom.xml")));
        NodeList modules = parent.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().strip();
            if (module.equals("bom") || module.equals("it")) {
                continue; // the BOM itself, and the integration tests, which publish nothing to
                // depend on
            }
            String artifact =
                    child(
                            parse(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement(),
                            "artifactId");
            assertEquals(
                    version,
                    managed.get(artifact),
                    "zonedev-bom's version of " + artifact + " (module " + module + ")");
        }
    }

    @Test
    void hasNoParentSoItPinsNothingButZonedev() throws Exception {
        Document bom = parse(ROOT.resolve("bom/pom.xml"));
        assertNull(child(bom.getDocumentElement(), "parent"));
        managedVersions(bom).keySet().forEach(a -> assertTrue(a.startsWith("zonedev-"), a));
    }

    /**
     * artifactId → version of every managed dependency (several types of one artifact must agree).
     */
    private static Map<String, String> managedVersions(Document bom) {
        Map<String, String> out = new HashMap<>();
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            String artifact = child(d, "artifactId");
            String version = child(d, "version");
            String before = out.put(artifact, version);
            assertTrue(
                    before == null || before.equals(version),
                    artifact + " managed at " + before + " and " + version);
        }
        return out;
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of {@code e}'s direct child {@code tag}, or null. */
    private static String child(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) {
                return c.getTextContent().strip();
            }
        }
        return null;
    }
}
