package dev.securenet;

import dev.securenet.internal.net.AcceptQueue;
import dev.securenet.internal.net.Connection;
import dev.securenet.internal.net.Handshakes;
import dev.securenet.internal.net.ObservedConnection;
import dev.securenet.internal.net.Observation;
import dev.securenet.internal.net.PlainConnection;
import dev.securenet.internal.tls.TlsEngine;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Accepts TCP connections and serves TLS on them unless its {@link #securityProperties()} say
 * {@link SecurityProperties#disableSecurity() disableSecurity()}: P1861R0's
 * {@code ip::tcp::acceptor}. A secure acceptor needs only a certificate chain and a private key.
 *
 * <pre>{@code
 * try (TcpAcceptor acceptor = TcpAcceptor.open()) {
 *     acceptor.securityProperties().useCertificates(List.of(chainPem)).usePrivateKey(keyPem);
 *     acceptor.bind(new InetSocketAddress("0.0.0.0", 50000));
 *     acceptor.listen();
 *     try (TcpSocket socket = acceptor.accept()) { ... }
 * }
 * }</pre>
 *
 * <p>Handshakes run concurrently in the background from {@code listen()} on, each bounded by the
 * handshake timeout, so one slow or silent client never delays the others. {@code accept()} hands
 * out connections as their handshakes finish; a client whose handshake failed makes one
 * {@code accept()} throw a {@link SecureConnectionException} naming it, and the next call goes on
 * with the next client. Handshakes in progress and connections waiting for {@code accept()} are
 * bounded, globally and per source address: past a bound a new connection is reset at once, so one
 * address cannot starve the others.
 */
public final class TcpAcceptor implements Closeable {

    /** Handshaken connections that may wait for {@code accept()} unless {@code listen(int)} says otherwise. */
    public static final int DEFAULT_BACKLOG = 50;
    /** Of those, from one source address, unless {@link #setBacklogPerAddress(int)} says otherwise. */
    public static final int DEFAULT_BACKLOG_PER_ADDRESS = 16;
    /** Handshakes in progress at once unless {@link #setMaxPendingHandshakes(int)} says otherwise. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 256;
    /** Of those, from one source address, unless {@link #setMaxPendingHandshakesPerAddress(int)} says otherwise. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS = 32;

    private static final System.Logger LOG = System.getLogger(TcpAcceptor.class.getName());

    private volatile SecurityProperties properties = new SecurityProperties();
    /** The TLS of new handshakes, from {@code listen()} on; replaced by {@link #reconfigure}. */
    private volatile TlsEngine engine;
    private int maxPendingHandshakes = DEFAULT_MAX_PENDING_HANDSHAKES;
    private int maxPendingHandshakesPerAddress = DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS;
    private int backlogPerAddress = DEFAULT_BACKLOG_PER_ADDRESS;
    private boolean tcpNoDelay = true;
    private EndpointObserver observer = EndpointObserver.NONE;
    private ServerSocket server;
    private volatile AcceptQueue queue;
    private boolean closed;

    private TcpAcceptor() {
    }

    /** @return a new, unbound acceptor with secure defaults */
    public static TcpAcceptor open() {
        return new TcpAcceptor();
    }

    /** @return this acceptor's security properties, to configure before {@code listen} (afterwards, see {@link #reconfigure}) */
    public SecurityProperties securityProperties() {
        return properties;
    }

    /**
     * Bounds the handshakes in progress at once; past it, new connections are reset at once.
     *
     * @param maxPendingHandshakes at least 1; {@link #DEFAULT_MAX_PENDING_HANDSHAKES} unless set
     * @return this
     */
    public synchronized TcpAcceptor setMaxPendingHandshakes(int maxPendingHandshakes) {
        this.maxPendingHandshakes = atLeastOne(maxPendingHandshakes, "maxPendingHandshakes");
        return this;
    }

    /**
     * Bounds the handshakes in progress at once from one source address (its ports are its own to
     * choose, so the address is what counts); past it, that address's new connections are reset at
     * once while everyone else is served.
     *
     * @param maxPendingHandshakesPerAddress at least 1; {@link #DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS} unless set
     * @return this
     */
    public synchronized TcpAcceptor setMaxPendingHandshakesPerAddress(int maxPendingHandshakesPerAddress) {
        this.maxPendingHandshakesPerAddress = atLeastOne(maxPendingHandshakesPerAddress, "maxPendingHandshakesPerAddress");
        return this;
    }

    /**
     * Bounds how many handshaken connections (and failed handshakes) of one source address may wait
     * for {@code accept()}; past it, that address's further ones are closed.
     *
     * @param backlogPerAddress at least 1; {@link #DEFAULT_BACKLOG_PER_ADDRESS} unless set
     * @return this
     */
    public synchronized TcpAcceptor setBacklogPerAddress(int backlogPerAddress) {
        this.backlogPerAddress = atLeastOne(backlogPerAddress, "backlogPerAddress");
        return this;
    }

    /**
     * Whether accepted connections send small writes at once ({@code TCP_NODELAY}); on unless set
     * off. With it off, the server's handshake flight and every small answer wait for the client's
     * delayed acknowledgement (about 40 ms on Linux). Read at {@code listen()}.
     *
     * @param on whether accepted connections send without delay
     * @return this
     */
    public synchronized TcpAcceptor setTcpNoDelay(boolean on) {
        this.tcpNoDelay = on;
        return this;
    }

    /**
     * Reports this acceptor's handshakes, connections and bytes to {@code observer}. Read at
     * {@code listen()}.
     *
     * @param observer what hears them; {@link EndpointObserver#NONE} unless set
     * @return this
     */
    public synchronized TcpAcceptor setObserver(EndpointObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    private static int atLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
        return value;
    }

    /**
     * Binds to a local address.
     *
     * @param address the address; port 0 picks a free port (see {@link #localAddress()})
     * @return this
     * @throws BindException if the address is in use or not local
     */
    public synchronized TcpAcceptor bind(InetSocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        requireOpen();
        if (server != null) {
            throw new SocketException("the acceptor is already bound to " + server.getLocalSocketAddress());
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(address, DEFAULT_BACKLOG);
        } catch (BindException e) {
            socket.close();
            BindException named = new BindException("cannot bind to " + address + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        server = socket;
        return this;
    }

    /**
     * Binds to a local host and port.
     *
     * @param host an address literal or name of this machine, e.g. "127.0.0.1" or "0.0.0.0"
     * @param port the port, or 0 for any free one
     * @return this
     */
    public TcpAcceptor bind(String host, int port) throws IOException {
        return bind(new InetSocketAddress(host, port));
    }

    /**
     * Starts accepting with the {@link #DEFAULT_BACKLOG}.
     *
     * @return this
     */
    public TcpAcceptor listen() throws IOException {
        return listen(DEFAULT_BACKLOG);
    }

    /**
     * Starts accepting and handshaking in the background. The security properties and bounds are
     * read now: later changes do not affect this acceptor.
     *
     * @param backlog how many handshaken connections (and failed handshakes) may wait for
     *                {@code accept()}; past it, further ones are closed
     * @return this
     * @throws IllegalStateException if security is on and the chain or key is missing
     */
    public synchronized TcpAcceptor listen(int backlog) throws IOException {
        atLeastOne(backlog, "backlog");
        requireOpen();
        if (server == null) {
            throw new IllegalStateException("bind(address) before listen()");
        }
        if (queue != null) {
            return this;
        }
        String endpoint = "TcpAcceptor on " + server.getLocalSocketAddress();
        AcceptQueue.Limits limits = new AcceptQueue.Limits(maxPendingHandshakes, maxPendingHandshakesPerAddress, backlog,
                Math.min(backlog, backlogPerAddress));
        Observation observation = Observation.of(observer);
        AcceptQueue.Handshake handshake;
        if (properties.isSecurityDisabled()) {
            LOG.log(Level.WARNING, "security disabled: {0} serves PLAINTEXT", endpoint);
            handshake = PlainConnection::new;
        } else {
            engine = properties.serverEngine(endpoint);
            handshake = accepted -> Handshakes.observed(observation, () -> engine.accept(accepted), Connection::protocol);
        }
        boolean noDelay = tcpNoDelay;
        queue = new AcceptQueue(server, limits, accepted -> {
            try {
                accepted.setTcpNoDelay(noDelay); // before the handshake: our flight goes out at once
            } catch (IOException e) {
                accepted.close(); // the client is already gone
                throw e;
            }
            return ObservedConnection.of(handshake.run(accepted), observation);
        });
        return this;
    }

    /**
     * Replaces this acceptor's security properties, also while it listens. {@code configuration}
     * configures new properties from scratch, as on a new acceptor (identity, trust, client
     * authentication: everything), and they are checked and built completely before anything
     * changes. New handshakes then use them; established connections go on untouched. This is how
     * a rotated certificate and key, or new trusted certificates, take effect without a restart:
     *
     * <pre>{@code
     * acceptor.reconfigure(security -> security.useCertificates(List.of(newChainPem)).usePrivateKey(newKeyPem));
     * }</pre>
     *
     * <p>Sessions of the old properties are not resumed with the new ones.
     *
     * @param configuration configures the new properties (typically the code that configured the
     *                      first ones, given the new material)
     * @return this
     * @throws KeyMaterialException  if the new material is unusable; the acceptor keeps its properties
     * @throws IllegalStateException if the new properties are incomplete or inconsistent, or would
     *                               switch between TLS and plaintext (which takes a new acceptor);
     *                               the acceptor keeps its properties
     * @throws SocketException       if the acceptor is closed
     */
    public TcpAcceptor reconfigure(Consumer<SecurityProperties> configuration) throws SocketException {
        SecurityProperties next = SecurityProperties.replacing(properties, configuration, toString());
        synchronized (this) {
            requireOpen();
            if (queue != null && !next.isSecurityDisabled()) {
                engine = next.serverEngine("TcpAcceptor on " + server.getLocalSocketAddress()); // checked and built first
            }
            properties = next;
        }
        return this;
    }

    /**
     * Waits for the next connection whose handshake has finished.
     *
     * @return the connected socket; the caller closes it
     * @throws SecureConnectionException if the next finished client failed its handshake (the
     *                                   acceptor goes on serving others)
     * @throws SocketException           if the acceptor is closed
     */
    public TcpSocket accept() throws IOException {
        return accept(null);
    }

    /**
     * Like {@link #accept()}, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait, or {@code null} for no limit
     * @return the connected socket; the caller closes it
     * @throws java.net.SocketTimeoutException if no connection finished in time
     */
    public TcpSocket accept(Duration timeout) throws IOException {
        AcceptQueue current = queue;
        if (current == null) {
            synchronized (this) {
                requireOpen();
            }
            throw new IllegalStateException("listen() before accept()");
        }
        return TcpSocket.accepted(properties, current.take(timeout));
    }

    /** @return the bound address (with the actual port when bound to port 0) */
    public synchronized InetSocketAddress localAddress() {
        if (server == null) {
            throw new IllegalStateException("the acceptor is not bound");
        }
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void requireOpen() throws SocketException {
        if (closed) {
            throw new SocketException("the acceptor is closed");
        }
    }

    /** Stops accepting, aborts handshakes in progress and closes connections not yet accepted. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (queue != null) {
            queue.close();
        } else if (server != null) {
            server.close();
        }
    }

    @Override
    public synchronized String toString() {
        return "TcpAcceptor[" + (server == null ? "unbound" : server.getLocalSocketAddress())
                + (properties.isSecurityDisabled() ? ", PLAINTEXT" : ", TLS") + (closed ? ", closed" : "") + "]";
    }
}
