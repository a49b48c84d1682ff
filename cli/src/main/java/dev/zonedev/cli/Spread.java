package dev.zonedev.cli;

import java.util.Arrays;
import java.util.List;

/**
 * One figure of one combination over the timed rounds of {@code zonedev compare}: the median and
 * the range. Immutable.
 *
 * @param median the middle value (the mean of the two middle ones for an even count)
 * @param min the smallest value
 * @param max the largest value
 * @param rounds every round's value, in round order
 */
record Spread(double median, double min, double max, List<Double> rounds) {
    Spread {
        rounds = List.copyOf(rounds);
    }

    /**
     * The spread of {@code values}; empty when there are none.
     *
     * @throws IllegalArgumentException for a NaN value
     */
    static java.util.Optional<Spread> of(double[] values) {
        if (values.length == 0) {
            return java.util.Optional.empty();
        }
        double[] s = values.clone();
        Arrays.sort(s);
        if (Double.isNaN(s[s.length - 1])) {
            throw new IllegalArgumentException("a figure is NaN: " + Arrays.toString(values));
        }
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return java.util.Optional.of(
                new Spread(
                        Report.round(median),
                        Report.round(s[0]),
                        Report.round(s[n - 1]),
                        Arrays.stream(values).map(Report::round).boxed().toList()));
    }
}
