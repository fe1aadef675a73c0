package dev.securenet.internal.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts TCP connections and runs their handshakes concurrently, so a slow or silent client never
 * holds up the clients behind it. Finished handshakes and failed ones are handed out in the order
 * they finish. At most {@code backlog} connections are handshaking or waiting to be taken; beyond
 * that new connections wait in the kernel's queue.
 */
public final class AcceptQueue implements Closeable {

    /** Secures one accepted socket (or does nothing, for plaintext). */
    @FunctionalInterface
    public interface Handshake {
        /**
         * @param accepted the accepted socket, to be closed by the handshake on failure
         * @return the established connection
         */
        Connection run(Socket accepted) throws IOException;
    }

    private record Outcome(Connection connection, IOException failure) {
    }

    private static final Outcome CLOSED = new Outcome(null, null);
    private static final long ACCEPT_FAILURE_BACKOFF_MILLIS = 100;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ServerSocket server;
    private final Handshake handshake;
    private final Semaphore slots;
    private final BlockingQueue<Outcome> ready = new LinkedBlockingQueue<>();
    private final Set<Socket> handshaking = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final Thread acceptor;
    private volatile boolean closed;

    /**
     * Starts accepting.
     *
     * @param server    the bound server socket, owned by this queue from now on
     * @param backlog   how many connections may be handshaking or waiting to be taken
     * @param handshake what to do with each accepted socket
     */
    public AcceptQueue(ServerSocket server, int backlog, Handshake handshake) {
        this.server = server;
        this.handshake = handshake;
        this.slots = new Semaphore(backlog);
        String name = "securenet-accept-" + server.getLocalPort();
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name + "-handshake-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.acceptor = new Thread(this::acceptLoop, name);
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    slots.release();
                    return;
                }
                deliver(new Outcome(null, e)); // keeps its slot until taken
                try {
                    // accept fails again at once while, say, the process is out of descriptors
                    Thread.sleep(ACCEPT_FAILURE_BACKOFF_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            handshaking.add(socket);
            try {
                workers.execute(() -> secure(socket));
            } catch (RuntimeException rejected) { // closed meanwhile
                closeQuietly(socket);
                slots.release();
            }
        }
    }

    private void secure(Socket socket) {
        try {
            deliver(new Outcome(handshake.run(socket), null));
        } catch (IOException e) {
            deliver(new Outcome(null, e));
        } catch (RuntimeException e) {
            closeQuietly(socket);
            deliver(new Outcome(null, new IOException("handshake failed: " + e, e)));
        } finally {
            handshaking.remove(socket);
        }
    }

    private void deliver(Outcome outcome) {
        ready.add(outcome);
        if (closed) {
            drain();
        }
    }

    /**
     * Takes the next finished connection, waiting for one.
     *
     * @param timeout how long to wait, or {@code null} to wait until one comes or the queue closes
     * @return the connection
     * @throws SocketTimeoutException if none came in time
     * @throws SocketException        if the queue is closed
     * @throws IOException            the handshake failure of the next finished connection
     */
    public Connection take(Duration timeout) throws IOException {
        Outcome outcome;
        try {
            outcome = timeout == null ? ready.take() : ready.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a connection");
        }
        if (outcome == null) {
            throw new SocketTimeoutException("no connection completed its handshake within " + timeout.toMillis() + " ms");
        }
        if (outcome == CLOSED) {
            ready.add(CLOSED); // wake the next waiter too
            throw new SocketException("the acceptor is closed");
        }
        slots.release();
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.connection();
    }

    /** Stops accepting, aborts running handshakes and closes connections nobody took. */
    @Override
    public void close() throws IOException {
        closed = true;
        try {
            server.close();
        } finally {
            acceptor.interrupt();
            for (Socket socket : handshaking) {
                closeQuietly(socket);
            }
            workers.shutdown();
            drain();
        }
    }

    /** Once closed: closes every connection nobody took, leaving the CLOSED mark for waiters. */
    private void drain() {
        for (Outcome outcome = ready.poll(); outcome != null; outcome = ready.poll()) {
            if (outcome.connection() != null) {
                try {
                    outcome.connection().close();
                } catch (IOException e) {
                    // nobody will read it: closing is best effort
                }
            }
        }
        ready.add(CLOSED);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // best effort
        }
    }
}
