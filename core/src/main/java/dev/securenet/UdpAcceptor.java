package dev.securenet;

import dev.securenet.internal.dtls.DtlsServer;
import dev.securenet.internal.dtls.DtlsSettings;
import dev.securenet.internal.net.Observation;
import dev.securenet.internal.tls.JsseContexts;
import dev.securenet.internal.tls.TlsSettings;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Serves DTLS 1.2 to many peers on one UDP port unless its {@link #securityProperties()} say
 * {@link SecurityProperties#disableSecurity() disableSecurity()}. {@link #accept()} returns a
 * {@link UdpSocket} per peer whose send and receive talk to that peer alone.
 *
 * <pre>{@code
 * try (UdpAcceptor acceptor = UdpAcceptor.open()) {
 *     acceptor.securityProperties().useCertificates(List.of(chainPem)).usePrivateKey(keyPem);
 *     acceptor.bind(new InetSocketAddress("0.0.0.0", 5684));
 *     UdpSocket peer = acceptor.accept();
 * }
 * }</pre>
 *
 * <p>A new address gets no state until it echoes an address-bound cookie (a spoofed ClientHello costs
 * one small reply). Handshakes, peers and idle time are bounded: see the setters. Garbage, oversized,
 * replayed or spoofed datagrams are dropped without disturbing other peers. Security properties and
 * settings are read at {@code bind}.
 */
public final class UdpAcceptor implements Closeable {

    /** Associations at once unless {@link #setMaxPeers(int)} says otherwise. */
    public static final int DEFAULT_MAX_PEERS = 1024;
    /** Handshakes at once unless {@link #setMaxPendingHandshakes(int)} says otherwise. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 128;
    /** Of those, from one source address, unless {@link #setMaxPendingHandshakesPerAddress(int)} says otherwise. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS = 32;
    /** Silence after which a peer is dropped unless {@link #setIdleTimeout(Duration)} says otherwise. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private static final int QUEUED_MESSAGES_PER_PEER = 256;
    private static final System.Logger LOG = System.getLogger(UdpAcceptor.class.getName());

    private volatile SecurityProperties properties = new SecurityProperties();
    private int mtu = UdpSocket.DEFAULT_MTU;
    private Duration retransmissionTimeout = UdpSocket.DEFAULT_RETRANSMISSION_TIMEOUT;
    private int maxPeers = DEFAULT_MAX_PEERS;
    private int maxPendingHandshakes = DEFAULT_MAX_PENDING_HANDSHAKES;
    private int maxPendingHandshakesPerAddress = DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private EndpointObserver observer = EndpointObserver.NONE;
    private volatile DtlsServer server;
    private DatagramSocket socket;
    private boolean closed;

    private UdpAcceptor() {
    }

    /** @return a new, unbound acceptor with secure defaults */
    public static UdpAcceptor open() {
        return new UdpAcceptor();
    }

    /** @return this acceptor's security properties, to configure before {@code bind} (afterwards, see {@link #reconfigure}) */
    public SecurityProperties securityProperties() {
        return properties;
    }

    /** @param mtu the largest datagram payload, as {@link UdpSocket#setMtu(int)} @return this */
    public synchronized UdpAcceptor setMtu(int mtu) {
        new DtlsSettings(mtu, retransmissionTimeout, properties.handshakeTimeout());
        this.mtu = mtu;
        return this;
    }

    /** @param timeout the first handshake retransmission timer, as {@link UdpSocket#setRetransmissionTimeout} @return this */
    public synchronized UdpAcceptor setRetransmissionTimeout(Duration timeout) {
        new DtlsSettings(mtu, Objects.requireNonNull(timeout, "timeout"), properties.handshakeTimeout());
        this.retransmissionTimeout = timeout;
        return this;
    }

    /** @param maxPeers associations at once; new peers beyond it are ignored until some leave @return this */
    public synchronized UdpAcceptor setMaxPeers(int maxPeers) {
        this.maxPeers = positive(maxPeers, "maxPeers");
        return this;
    }

    /** @param maxPendingHandshakes handshakes at once; more wait for their own retransmission @return this */
    public synchronized UdpAcceptor setMaxPendingHandshakes(int maxPendingHandshakes) {
        this.maxPendingHandshakes = positive(maxPendingHandshakes, "maxPendingHandshakes");
        return this;
    }

    /**
     * @param maxPendingHandshakesPerAddress handshakes at once from one source address (whose ports are
     *                                       its own to choose); more from it wait for their own retransmission
     * @return this
     */
    public synchronized UdpAcceptor setMaxPendingHandshakesPerAddress(int maxPendingHandshakesPerAddress) {
        this.maxPendingHandshakesPerAddress = positive(maxPendingHandshakesPerAddress, "maxPendingHandshakesPerAddress");
        return this;
    }

    /** @param idleTimeout silence after which a peer is dropped @return this */
    public synchronized UdpAcceptor setIdleTimeout(Duration idleTimeout) {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive");
        }
        this.idleTimeout = idleTimeout;
        return this;
    }

    private static int positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + value);
        }
        return value;
    }

    /**
     * Binds and starts serving.
     *
     * @param address the local address; port 0 picks a free port
     * @return this
     * @throws IllegalStateException if security is on and the chain or key is missing
     */
    public synchronized UdpAcceptor bind(InetSocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        if (closed) {
            throw new SocketException("the acceptor is closed");
        }
        if (server != null) {
            throw new SocketException("the acceptor is already bound to " + socket.getLocalSocketAddress());
        }
        String endpoint = "UdpAcceptor on " + address;
        TlsSettings settings = properties.isSecurityDisabled() ? null : properties.serverSettings(endpoint);
        javax.net.ssl.SSLContext context = settings == null ? null : JsseContexts.server("DTLS", settings); // before binding: nothing to leak
        DatagramSocket bound;
        try {
            bound = new DatagramSocket(address);
        } catch (BindException e) {
            BindException named = new BindException("cannot bind to " + address + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
        DtlsSettings dtls = new DtlsSettings(mtu, retransmissionTimeout, properties.handshakeTimeout());
        DtlsServer.Limits limits = new DtlsServer.Limits(maxPeers, maxPendingHandshakes, maxPendingHandshakesPerAddress,
                idleTimeout, QUEUED_MESSAGES_PER_PEER);
        socket = bound;
        if (settings == null) {
            LOG.log(Level.WARNING, "security disabled: UdpAcceptor on {0} serves PLAINTEXT", bound.getLocalSocketAddress());
            server = DtlsServer.plaintext(bound, dtls, limits, Observation.of(observer));
        } else {
            server = DtlsServer.secure(bound, context, settings, dtls, limits, Observation.of(observer));
        }
        return this;
    }

    /**
     * Binds to a local host and port.
     *
     * @return this
     */
    public UdpAcceptor bind(String host, int port) throws IOException {
        return bind(new InetSocketAddress(host, port));
    }

    /**
     * Reports this acceptor's handshakes, associations, bytes and cookie exchanges to
     * {@code observer}. Read at {@code bind}.
     *
     * @param observer what hears them; {@link EndpointObserver#NONE} unless set
     * @return this
     */
    public synchronized UdpAcceptor setObserver(EndpointObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    /**
     * Replaces this acceptor's security properties, also while it serves, exactly as
     * {@link TcpAcceptor#reconfigure} does: new properties configured from scratch, checked and
     * built before anything changes, used by new handshakes; established peers go on untouched.
     *
     * @param configuration configures the new properties
     * @return this
     * @throws KeyMaterialException  if the new material is unusable; the acceptor keeps its properties
     * @throws IllegalStateException if the new properties are incomplete or inconsistent, or would
     *                               switch between DTLS and plaintext; the acceptor keeps its properties
     * @throws SocketException       if the acceptor is closed
     */
    public UdpAcceptor reconfigure(Consumer<SecurityProperties> configuration) throws SocketException {
        SecurityProperties next = SecurityProperties.replacing(properties, configuration, toString());
        synchronized (this) {
            if (closed) {
                throw new SocketException("the acceptor is closed");
            }
            if (server != null && !next.isSecurityDisabled()) {
                TlsSettings settings = next.serverSettings("UdpAcceptor on " + socket.getLocalSocketAddress());
                server.reconfigure(JsseContexts.server("DTLS", settings), settings, // checked and built first
                        new DtlsSettings(mtu, retransmissionTimeout, next.handshakeTimeout()));
            }
            properties = next;
        }
        return this;
    }

    /**
     * Waits for the next peer whose handshake has finished.
     *
     * @return a socket talking to that peer alone
     * @throws SecureConnectionException if the next finished peer failed its handshake (after
     *                                   proving its address); the acceptor goes on serving others
     * @throws SocketException           if the acceptor is closed
     */
    public UdpSocket accept() throws IOException {
        return UdpSocket.accepted(properties, server().take(null));
    }

    /**
     * Like {@link #accept()}, waiting at most {@code timeout}.
     *
     * @throws java.net.SocketTimeoutException if no peer finished in time
     */
    public UdpSocket accept(Duration timeout) throws IOException {
        return UdpSocket.accepted(properties, server().take(Objects.requireNonNull(timeout, "timeout")));
    }

    /** @return how many peers have state right now (established or handshaking) */
    public int peerCount() {
        DtlsServer current = server;
        return current == null ? 0 : current.peerCount();
    }

    private DtlsServer server() {
        DtlsServer current = server;
        if (current == null) {
            throw new IllegalStateException("bind(address) before accept()");
        }
        return current;
    }

    /** @return the bound address (with the actual port when bound to port 0) */
    public synchronized InetSocketAddress localAddress() {
        if (socket == null) {
            throw new IllegalStateException("the acceptor is not bound");
        }
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Sends close_notify to every peer and stops serving. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close();
        }
    }

    @Override
    public synchronized String toString() {
        return "UdpAcceptor[" + (socket == null ? "unbound" : socket.getLocalSocketAddress())
                + (properties.isSecurityDisabled() ? ", PLAINTEXT" : ", DTLS") + (closed ? ", closed" : "") + "]";
    }
}
