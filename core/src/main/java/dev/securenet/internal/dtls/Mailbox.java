package dev.securenet.internal.dtls;

import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one association's work in the order it was posted, on a pool shared with other associations,
 * so that the thread that reads the socket only sorts datagrams and never waits for a handshake's
 * cryptography (or a user's verifier). Bounded: past its capacity, new work is dropped, as a full
 * socket buffer would drop the datagram.
 */
final class Mailbox {

    private static final System.Logger LOG = System.getLogger(Mailbox.class.getName());

    private volatile Executor pool;
    private final int capacity;
    private final Queue<Runnable> work = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Mailbox(Executor pool, int capacity) {
        this.pool = pool;
        this.capacity = capacity;
    }

    /** Runs later work on another pool (the order of the work is kept: one drain at a time). */
    void moveTo(Executor other) {
        pool = other;
    }

    /** @return whether the work was taken (false when full or the pool is shut down) */
    boolean post(Runnable task) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        return enqueue(task);
    }

    /**
     * Posts work that must not be lost to a full mailbox (ending an association, its one timer
     * tick): there is at most a little of it per association at any time.
     *
     * @return whether the work was taken (false only when the pool is shut down)
     */
    boolean postControl(Runnable task) {
        size.incrementAndGet();
        return enqueue(task);
    }

    private boolean enqueue(Runnable task) {
        work.add(task);
        if (scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException closed) {
                scheduled.set(false);
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the work on the calling thread, if none of this mailbox's work is waiting or running: the
     * hand-off to a worker costs more than work that takes microseconds.
     *
     * @return whether it ran; if not, nothing was done and the caller posts it
     */
    boolean runHereIfIdle(Runnable task) {
        if (!work.isEmpty() || !scheduled.compareAndSet(false, true)) {
            return false;
        }
        try {
            task.run();
        } catch (RuntimeException | StackOverflowError e) {
            LOG.log(Level.DEBUG, "association work failed: " + e, e);
        } finally {
            scheduled.set(false);
        }
        scheduleIfWaiting(); // posted while it ran
        return true;
    }

    private void drain() {
        try {
            for (Runnable task = work.poll(); task != null; task = work.poll()) {
                size.decrementAndGet();
                try {
                    task.run();
                } catch (RuntimeException | StackOverflowError e) {
                    // one peer's bad datagram (or a user's verifier) must never stop the others
                    LOG.log(Level.DEBUG, "association work failed: " + e, e);
                }
            }
        } finally {
            scheduled.set(false); // whatever happened, later work gets a worker again
        }
        scheduleIfWaiting();
    }

    private void scheduleIfWaiting() {
        if (!work.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException closed) {
                scheduled.set(false);
            }
        }
    }
}
