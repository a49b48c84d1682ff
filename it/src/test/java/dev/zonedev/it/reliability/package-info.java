/**
 * The reliability suite: {@link dev.zonedev.it.reliability.LoadTest} (concurrent consumers across
 * worker and sub-range counts), {@link dev.zonedev.it.reliability.FaultTest} (allocation failures
 * at every vmemmap level and the altmap, teardown at random moments, a throwing worker, restart
 * after an unclean stop in a killed child JVM) and {@link dev.zonedev.it.reliability.BadInputTest}
 * (bad values at every entry point and corrupt info blocks, with file hashes compared before and
 * after).
 *
 * <p>Every wait is bounded ({@link dev.zonedev.it.reliability.Waits}); a hang prints a thread dump
 * to stderr and fails. A failure message ends in "replay with -Dzonedev.seed=N"; replay with {@code
 * ./mvnw -pl it -am test -Dtest=FaultTest -Dsurefire.failIfNoSpecifiedTests=false -Dzonedev.seed=N}
 * (Maven passes {@code -D} user properties on to the forked test JVM as system properties; no pom
 * change is needed). Each class prints one summary line and appends it to {@code
 * it/target/reliability-summary.txt}.
 */
package dev.zonedev.it.reliability;
