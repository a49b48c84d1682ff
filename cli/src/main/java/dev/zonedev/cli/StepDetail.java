package dev.zonedev.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a successful scenario step reports in its result's {@code detail}: one record per kind of
 * report, written by Jackson with fields in declaration order (README lists what they hold). Fields
 * that do not apply are null and left out.
 */
sealed interface StepDetail {
    /** {@code boot}: the arch booted and the namespaces created. */
    record Booted(String arch, List<String> namespaces) implements StepDetail {}

    /**
     * A namespace after {@code create}, {@code enable}, {@code disable} or {@code restart}; {@code
     * spec} is its canonical {@code --namespace} text. {@code device}, {@code map}, {@code async}
     * and {@code memmapState} only when it is enabled and has them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NamespaceState(
            String namespace,
            String mode,
            boolean enabled,
            long bytes,
            String spec,
            String device,
            String map,
            Boolean async,
            String memmapState)
            implements StepDetail {}

    /** {@code destroy}: the namespace destroyed. */
    record Destroyed(String namespace) implements StepDetail {}

    /** {@code hold} and {@code release}: whether background memmap work is now held. */
    record Gate(boolean held) implements StepDetail {}

    /** {@code access}: one {@code direct_access} per offset. */
    record Accesses(String device, List<Access> accesses) implements StepDetail {
        /** One {@code direct_access}; {@code pfn} (hex) only when one was asked for. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        record Access(long offset, long availablePages, String pfn) {}
    }

    /** {@code fault}: one fault per offset. */
    record Faults(String device, List<Fault> faults) implements StepDetail {
        /**
         * One fault: the pfn mapped (hex) and the fault size ({@code 4K}, {@code 2M}, {@code 1G}).
         */
        record Fault(long offset, String pfn, String size) {}
    }

    /** {@code write}: bytes written at an offset. */
    record Written(String device, long offset, int bytes) implements StepDetail {}

    /** {@code read}: bytes read back and matched; {@code data} is a preview (text, or hex). */
    record ReadBack(String device, long offset, int bytes, String data) implements StepDetail {}

    /** {@code badblocks}: the device's bad sector runs afterwards. */
    record BadBlocks(String device, List<String> badblocks) implements StepDetail {}

    /** {@code inject} with {@code reset: true}. */
    record Reset(boolean reset) implements StepDetail {}

    /** {@code inject}: the level that fails, after {@code skip} successes. */
    record Injected(String level, int skip) implements StepDetail {}

    /** {@code memmap_state}: what was written (if anything) and the state read afterwards. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MemmapRead(String device, String wrote, String memmapState) implements StepDetail {}

    /** {@code wait}: each device waited for and its state ({@code idle}), as one JSON object. */
    record Idle(@JsonValue Map<String, String> devices) implements StepDetail {
        public Idle {
            devices = Collections.unmodifiableMap(new LinkedHashMap<>(devices));
        }
    }

    /** {@code verify}: the totals and each namespace's audit. */
    record Audit(long pagesChecked, long pagesBad, List<NamespaceAudit> namespaces)
            implements StepDetail {
        /** One namespace's audit. */
        record NamespaceAudit(
                String namespace, long pagesChecked, long pagesBad, int subRangesNotExactlyOnce) {}
    }

    /** {@code teardown}: the file-backed namespaces kept for {@code restart}. */
    record Kept(List<String> kept) implements StepDetail {}

    /** {@code restart}: the namespaces brought back from their info blocks. */
    record Restored(List<NamespaceState> restored) implements StepDetail {}
}
