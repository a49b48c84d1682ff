package dev.zonedev.cli;

import dev.zonedev.core.EngineConfig;
import dev.zonedev.core.NamespaceSpec;
import java.util.List;

/**
 * One combination of {@code zonedev compare} made concrete and checked: the engine configuration
 * and the namespace specs it runs. Immutable.
 *
 * @param combination the varied settings
 * @param config the engine configuration with the engine keys applied
 * @param namespaces the namespaces with the namespace keys applied, checked as {@code boot} checks
 *     them
 */
record CompareCase(Combination combination, EngineConfig config, List<NamespaceSpec> namespaces) {
    CompareCase {
        namespaces = List.copyOf(namespaces);
    }

    /** The namespaces' canonical {@code --namespace} texts. */
    List<String> namespaceTexts() {
        return namespaces.stream().map(NamespaceArg::render).toList();
    }
}
