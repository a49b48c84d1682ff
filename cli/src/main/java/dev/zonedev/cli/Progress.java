package dev.zonedev.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One progress bar per namespace on stderr while memmaps initialize. On a terminal the bars are
 * redrawn in place ten times a second; otherwise a plain line is printed each time a namespace
 * passes a quarter. Runs on its own daemon thread; {@link #close()} draws the final state and stops
 * it.
 */
final class Progress implements AutoCloseable {
    /** What one bar shows: pages initialized so far out of {@code total}. */
    record Bar(String label, long total, LongSupplier done) {}

    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final List<Bar> bars = new ArrayList<>();
    private final List<Integer> quartersShown = new ArrayList<>();
    private final boolean terminal;
    private final boolean enabled;
    private final long start;
    private final Thread thread;
    private volatile boolean stop;
    private int drawnLines;

    /**
     * Bars drawn from now on; times are shown from {@code startNanos}.
     *
     * @param enabled false draws nothing at all
     */
    Progress(PrintWriter err, boolean enabled, boolean terminal, long startNanos) {
        this.err = err;
        this.enabled = enabled;
        this.terminal = terminal;
        this.start = startNanos;
        this.thread = Thread.ofPlatform().daemon().name("zonedev-progress").unstarted(this::loop);
        if (enabled) {
            thread.start();
        }
    }

    /** Adds a bar (a namespace just created). */
    synchronized void add(Bar bar) {
        bars.add(bar);
        quartersShown.add(0);
    }

    /** True when stderr is a terminal that can redraw in place. */
    static boolean stderrIsTerminal() {
        var console = System.console();
        return console != null
                && console.isTerminal()
                && System.getenv("TERM") != null
                && !"dumb".equals(System.getenv("TERM"));
    }

    private void loop() {
        while (!stop) {
            draw();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private synchronized void draw() {
        double seconds = (System.nanoTime() - start) / 1e9;
        if (terminal) {
            StringBuilder sb = new StringBuilder();
            if (drawnLines > 0) {
                sb.append("\u001b[").append(drawnLines).append('A');
            }
            for (Bar b : bars) {
                sb.append('\r').append(line(b, seconds)).append("\u001b[K\n");
            }
            err.print(sb);
            err.flush();
            drawnLines = bars.size();
            return;
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int quarter = (int) (4 * fraction(b));
            if (quarter > quartersShown.get(i)) {
                quartersShown.set(i, quarter);
                err.println(line(b, seconds));
                err.flush();
            }
        }
    }

    private static double fraction(Bar b) {
        return b.total() <= 0 ? 1 : Math.min(1.0, (double) b.done().getAsLong() / b.total());
    }

    static String line(Bar b, double seconds) {
        double f = fraction(b);
        int full = (int) Math.round(f * WIDTH);
        return String.format(
                Locale.ROOT,
                "%-14s [%s%s] %3d%%  %,d of %,d struct pages  %.1fs",
                b.label(),
                "#".repeat(full),
                "-".repeat(WIDTH - full),
                (int) Math.floor(f * 100),
                Math.min(b.done().getAsLong(), b.total()),
                b.total(),
                seconds);
    }

    @Override
    public void close() {
        if (!enabled || stop) {
            return;
        }
        stop = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw();
    }
}
