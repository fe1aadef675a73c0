package dev.securenet.internal.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Hands the outcomes of background handshakes to {@code accept()} callers in the order they
 * finish: an established connection or association, or the failure of one. Once closed, whatever
 * nobody took is closed, and every waiter and later caller is told the acceptor is closed.
 *
 * @param <T> what a successful handshake produces
 */
public final class Handoff<T extends Closeable> {

    private record Outcome<T>(T value, IOException failure, Object tag) {
    }

    private final Outcome<T> closedMark = new Outcome<>(null, null, null);
    private final BlockingQueue<Outcome<T>> ready = new LinkedBlockingQueue<>();
    private final String what;
    private final Consumer<Object> onGone;
    private volatile boolean closed;

    /**
     * @param what   what a successful outcome is, for the timeout message ("connection", "peer")
     * @param onGone given the tag of each outcome that leaves this hand-off, taken or closed (to
     *               free what it held); {@code null} tags are not passed
     */
    public Handoff(String what, Consumer<Object> onGone) {
        this.what = what;
        this.onGone = onGone;
    }

    /** Hands out an established connection. */
    public void deliver(T value) {
        deliver(value, null);
    }

    /** Hands out an established connection that holds what {@code tag} names until it leaves. */
    public void deliver(T value, Object tag) {
        add(new Outcome<>(value, null, tag));
    }

    /** Hands out a failed handshake: it makes one {@link #take} throw it. */
    public void fail(IOException failure) {
        fail(failure, null);
    }

    /** Hands out a failed handshake that holds what {@code tag} names until it leaves. */
    public void fail(IOException failure, Object tag) {
        add(new Outcome<>(null, failure, tag));
    }

    private void add(Outcome<T> outcome) {
        ready.add(outcome);
        if (closed) {
            drain();
        }
    }

    private void gone(Outcome<T> outcome) {
        if (outcome.tag() != null) {
            onGone.accept(outcome.tag());
        }
    }

    /** @return how many outcomes wait to be taken */
    public int size() {
        return ready.size();
    }

    /**
     * Takes the next outcome, waiting for one.
     *
     * @param timeout how long to wait, or {@code null} to wait until one comes or this is closed
     * @return the next established connection
     * @throws SocketTimeoutException if none came in time
     * @throws SocketException        if this is closed
     * @throws IOException            the handshake failure of the next finished one
     */
    public T take(Duration timeout) throws IOException {
        Outcome<T> outcome;
        try {
            outcome = timeout == null ? ready.take() : ready.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a " + what);
        }
        if (outcome == null) {
            throw new SocketTimeoutException("no " + what + " completed its handshake within " + timeout.toMillis() + " ms");
        }
        if (outcome == closedMark) {
            ready.add(closedMark); // wake the next waiter too
            throw new SocketException("the acceptor is closed");
        }
        gone(outcome);
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.value();
    }

    /** Closes whatever nobody took; from now on {@link #take} says the acceptor is closed. */
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        for (Outcome<T> outcome = ready.poll(); outcome != null; outcome = ready.poll()) {
            if (outcome == closedMark) {
                continue;
            }
            gone(outcome);
            if (outcome.value() != null) {
                try {
                    outcome.value().close();
                } catch (IOException e) {
                    // nobody will read it: closing is best effort
                }
            }
        }
        ready.add(closedMark);
    }
}
