package dev.zonedev.cli;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One scenario step's result, one JSON line on stdout, fields in this order (README documents
 * them); {@code name}, {@code message} and {@code detail} are left out when absent.
 *
 * @param step 1-based position
 * @param action the action's name
 * @param name the step's {@code name:}, or null
 * @param expect the expectation's {@link Expectation#text() text}
 * @param outcome {@code success}, an error code name, or a {@link ScenarioOutcome} name
 * @param ok whether the outcome met the expectation
 * @param ms how long the step took, rounded to microseconds
 * @param message the failure's message, or null
 * @param detail what the action reports (pfns, states, audit figures...), or null when nothing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StepResult(
        int step,
        String action,
        String name,
        String expect,
        String outcome,
        boolean ok,
        double ms,
        String message,
        StepDetail detail) {}
