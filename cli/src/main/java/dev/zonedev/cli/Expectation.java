package dev.zonedev.cli;

import dev.zonedev.api.ErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a scenario step expects to end with: {@link Success}, one {@link Code error code}, one of
 * the runner's own {@link Outcome outcomes}, or {@link AnyError any failure}. {@link #text()} is
 * how a step result shows it ({@code success}, {@code IO_ERROR}, {@code MISMATCH}, {@code error});
 * {@link #metBy} compares it with a step's outcome.
 */
sealed interface Expectation {
    /** The default: the step succeeds. */
    Expectation SUCCESS = new Success();

    /** The step's expectation as step results show it. */
    String text();

    /**
     * Whether a step whose outcome is {@code outcome} ({@code success}, a code or an outcome name)
     * met it.
     */
    default boolean metBy(String outcome) {
        return switch (this) {
            case AnyError e -> !outcome.equals(SUCCESS.text());
            case Success s -> outcome.equals(text());
            case Code c -> outcome.equals(text());
            case Outcome o -> outcome.equals(text());
        };
    }

    /** The step succeeds. */
    record Success() implements Expectation {
        @Override
        public String text() {
            return "success";
        }
    }

    /** The step fails with this engine error code. */
    record Code(ErrorCode code) implements Expectation {
        @Override
        public String text() {
            return code.name();
        }
    }

    /** The step ends with this outcome of the runner's own. */
    record Outcome(ScenarioOutcome outcome) implements Expectation {
        @Override
        public String text() {
            return outcome.name();
        }
    }

    /** The step fails, whatever the failure. */
    record AnyError() implements Expectation {
        @Override
        public String text() {
            return "error";
        }
    }

    /**
     * Reads an {@code expect:} value, case-insensitively: {@code success} or {@code ok}, {@code
     * error}, an error code by name or errno, or a {@link ScenarioOutcome} name.
     *
     * @throws UsageException naming step {@code number} and what is accepted
     */
    static Expectation parse(int number, String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("success") || t.equalsIgnoreCase("ok")) {
            return SUCCESS;
        }
        if (t.equalsIgnoreCase("error")) {
            return new AnyError();
        }
        for (ErrorCode c : ErrorCode.values()) {
            if (c.name().equalsIgnoreCase(t) || c.errno().equalsIgnoreCase(t)) {
                return new Code(c);
            }
        }
        for (ScenarioOutcome o : ScenarioOutcome.values()) {
            if (o.name().equalsIgnoreCase(t)) {
                return new Outcome(o);
            }
        }
        throw new UsageException(
                "step "
                        + number
                        + ": expect \""
                        + text
                        + "\" is unknown; accepted: success, error, "
                        + Arrays.stream(ErrorCode.values())
                                .map(c -> c.name() + " (" + c.errno() + ")")
                                .collect(Collectors.joining(", "))
                        + ", "
                        + String.join(", ", names()));
    }

    private static List<String> names() {
        return Arrays.stream(ScenarioOutcome.values()).map(Enum::name).toList();
    }
}
