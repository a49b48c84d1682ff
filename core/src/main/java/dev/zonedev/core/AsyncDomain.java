package dev.zonedev.core;

import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A domain of asynchronous work with cookies ({@code async_schedule_domain}, {@code
 * async_synchronize_cookie_domain}, {@code async_synchronize_full_domain}). Each scheduled entry
 * gets a cookie one higher than the last; a caller can wait for every entry scheduled before a
 * cookie, or for all of them. An entry that throws is reported to the domain's failure handler and
 * counts as finished. Thread-safe.
 */
public final class AsyncDomain {
    private final String name;
    private final Executor executor;
    private final BiConsumer<String, Throwable> onFailure;
    private final TreeSet<Long> pending = new TreeSet<>();
    private long nextCookie = 1;

    AsyncDomain(String name, Executor executor, BiConsumer<String, Throwable> onFailure) {
        this.name = name;
        this.executor = executor;
        this.onFailure = onFailure;
    }

    /** The domain name. */
    public String name() {
        return name;
    }

    /** Schedules {@code work}; returns its cookie. */
    public long schedule(String what, Runnable work) {
        long cookie;
        synchronized (this) {
            cookie = nextCookie++;
            pending.add(cookie);
        }
        executor.execute(() -> run(cookie, what, work));
        return cookie;
    }

    private void run(long cookie, String what, Runnable work) {
        try {
            work.run();
        } catch (Throwable t) {
            onFailure.accept(name + "/" + what, t);
        } finally {
            synchronized (this) {
                pending.remove(cookie);
                notifyAll();
            }
        }
    }

    /**
     * Waits until every entry with a cookie below {@code cookie} has finished.
     *
     * @return false when the timeout passed first
     * @throws InterruptedException when interrupted
     */
    public synchronized boolean synchronizeCookie(long cookie, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() && pending.first() < cookie) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Waits until every entry scheduled so far has finished. */
    public boolean synchronizeFull(Duration timeout) throws InterruptedException {
        long last;
        synchronized (this) {
            last = nextCookie;
        }
        return synchronizeCookie(last, timeout);
    }

    /** Entries scheduled and not finished. */
    public synchronized int pendingCount() {
        return pending.size();
    }
}
