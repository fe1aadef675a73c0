package dev.securenet.internal.net;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts TCP connections and runs their handshakes concurrently, so a slow or silent client never
 * holds up the clients behind it. Finished handshakes and failed ones are handed out in the order
 * they finish. Two bounds, each global and per source address, keep one address from taking what
 * everyone needs: handshakes in progress, and handshaken connections waiting to be taken. Past a
 * bound a new connection is closed at once (a reset, no handshake work), and nobody else waits.
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

    /**
     * The bounds of a queue.
     *
     * @param pendingHandshakes           handshakes in progress at once
     * @param pendingHandshakesPerAddress handshakes in progress at once from one source address
     * @param backlog                     connections (or failures) waiting to be taken
     * @param backlogPerAddress           of those, from one source address
     */
    public record Limits(int pendingHandshakes, int pendingHandshakesPerAddress, int backlog, int backlogPerAddress) {
    }

    private static final System.Logger LOG = System.getLogger(AcceptQueue.class.getName());
    private static final long ACCEPT_FAILURE_BACKOFF_MILLIS = 100;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ServerSocket server;
    private final Handshake handshake;
    private final AddressBound handshakes;
    private final AddressBound waiting;
    private final Handoff<Connection> ready;
    private final Set<Socket> handshaking = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final Thread acceptor;
    private volatile boolean closed;

    /**
     * Starts accepting.
     *
     * @param server    the bound server socket, owned by this queue from now on
     * @param limits    the bounds
     * @param handshake what to do with each accepted socket
     */
    public AcceptQueue(ServerSocket server, Limits limits, Handshake handshake) {
        this.server = server;
        this.handshake = handshake;
        this.handshakes = new AddressBound(limits.pendingHandshakes(), limits.pendingHandshakesPerAddress());
        this.waiting = new AddressBound(limits.backlog(), limits.backlogPerAddress());
        this.ready = new Handoff<>("connection", address -> waiting.release((InetAddress) address));
        String name = "securenet-accept-" + server.getLocalPort();
        // a thread per handshake in progress (bounded above), gone soon after a burst: idle ones end after 5 s
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
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
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.WARNING, "accepting a connection failed: {0}", e.getMessage());
                try {
                    // accept fails again at once while, say, the process is out of descriptors
                    Thread.sleep(ACCEPT_FAILURE_BACKOFF_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            InetAddress address = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
            if (!handshakes.tryAcquire(address)) {
                LOG.log(Level.DEBUG, "refusing a connection from {0}: too many handshakes in progress", address);
                reset(socket);
                continue;
            }
            handshaking.add(socket);
            try {
                workers.execute(() -> secure(socket, address));
            } catch (RuntimeException rejected) { // closed meanwhile
                handshaking.remove(socket);
                handshakes.release(address);
                reset(socket);
            }
        }
    }

    private void secure(Socket socket, InetAddress address) {
        Connection connection = null;
        IOException failure = null;
        try {
            connection = handshake.run(socket);
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            closeQuietly(socket);
            failure = new IOException("handshake failed: " + e, e);
        } finally {
            handshaking.remove(socket);
            handshakes.release(address);
        }
        if (!waiting.tryAcquire(address)) {
            // too many of this address's (or everyone's) connections wait already: this one goes
            LOG.log(Level.DEBUG, "dropping a {0} from {1}: too many wait to be accepted",
                    connection != null ? "connection" : "failed handshake", address);
            if (connection != null) {
                closeQuietly(connection);
            }
            return;
        }
        if (connection != null) {
            ready.deliver(connection, address);
        } else {
            ready.fail(failure, address);
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

    /** Closes with a reset: no FIN handshake, no TIME_WAIT, nothing more spent on this peer. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closing is what matters
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // best effort
        }
    }
}
