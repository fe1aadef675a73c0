package dev.securenet.internal.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
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

    private static final long ACCEPT_FAILURE_BACKOFF_MILLIS = 100;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ServerSocket server;
    private final Handshake handshake;
    private final Semaphore slots;
    private final Handoff<Connection> ready;
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
        this.ready = new Handoff<>("connection", slots::release);
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
                ready.fail(e); // keeps its slot until taken
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
            ready.deliver(handshake.run(socket));
        } catch (IOException e) {
            ready.fail(e);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            ready.fail(new IOException("handshake failed: " + e, e));
        } finally {
            handshaking.remove(socket);
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
        return ready.take(timeout);
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
            ready.close();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // best effort
        }
    }
}
