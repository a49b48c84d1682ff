package dev.zonedev.cli;

/**
 * The order {@code zonedev compare} runs its combinations in: forward in the warm-up and in even
 * timed rounds, backward in odd ones, so that no combination always runs first (on a cold machine)
 * or always right after the same neighbour. Stateless.
 */
final class CompareOrder {
    private CompareOrder() {}

    /**
     * The indexes of {@code combinations} combinations in the order timed round {@code round}
     * (0-based) runs them.
     */
    static int[] timed(int round, int combinations) {
        int[] order = new int[combinations];
        for (int i = 0; i < combinations; i++) {
            order[i] = round % 2 == 0 ? i : combinations - 1 - i;
        }
        return order;
    }

    /** The order of the untimed warm-up round: forward. */
    static int[] warmUp(int combinations) {
        return timed(0, combinations);
    }
}
