package dev.zonedev.cli;

import dev.zonedev.core.EngineConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a {@code zonedev compare} run does, checked. Immutable.
 *
 * @param base the engine configuration before the engine keys apply
 * @param namespaces the {@code --namespace} texts as given
 * @param workload the workload, or null
 * @param varied the canonical {@code --vary} texts
 * @param cases one checked case per combination, in combination order
 * @param rounds timed rounds, 1 to 100
 * @param json print JSON instead of the table
 * @param report where to write the HTML page, or null
 */
record ComparePlan(
        EngineConfig base,
        List<String> namespaces,
        WorkloadArg workload,
        List<String> varied,
        List<CompareCase> cases,
        int rounds,
        boolean json,
        Path report) {
    ComparePlan {
        namespaces = List.copyOf(namespaces);
        varied = List.copyOf(varied);
        cases = List.copyOf(cases);
    }
}
