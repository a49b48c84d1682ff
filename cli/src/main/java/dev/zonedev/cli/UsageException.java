package dev.zonedev.cli;

/**
 * Bad input found by the cli itself (an option, a namespace spec, a workload, a scenario): the
 * message says what is wrong and what is accepted. The command turns it into picocli's usage error,
 * exit code 2, before anything is created.
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
