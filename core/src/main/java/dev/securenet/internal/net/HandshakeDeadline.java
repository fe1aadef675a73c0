package dev.securenet.internal.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bound on the whole handshake, not just on each read: a peer that trickles one byte at a time
 * would pass any read timeout. At the deadline the socket is closed, which unblocks the handshake.
 */
public final class HandshakeDeadline implements Closeable {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "securenet-handshake-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // a handshake ends long before its deadline: without this, every finished one would wait in the queue until then
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private final Socket socket;
    private final AtomicBoolean expired = new AtomicBoolean();
    private final ScheduledFuture<?> task;
    private final int previousSoTimeout;

    private HandshakeDeadline(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        this.previousSoTimeout = socket.getSoTimeout();
        socket.setSoTimeout(Math.toIntExact(Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()))));
        this.task = TIMER.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts the clock.
     *
     * @param socket  the socket to close at the deadline
     * @param timeout the time the handshake may take
     * @return the running deadline; close it when the handshake is over
     */
    public static HandshakeDeadline start(Socket socket, Duration timeout) throws IOException {
        return new HandshakeDeadline(socket, timeout);
    }

    private void expire() {
        expired.set(true);
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all we can do; the handshake thread sees the socket closed
        }
    }

    /** @return whether the deadline passed (and the socket was closed because of it) */
    public boolean expired() {
        return expired.get();
    }

    /** Stops the clock and restores the socket's read timeout. */
    @Override
    public void close() {
        task.cancel(false);
        try {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previousSoTimeout);
            }
        } catch (IOException e) {
            // the socket broke meanwhile: whoever uses it next finds out
        }
    }
}
