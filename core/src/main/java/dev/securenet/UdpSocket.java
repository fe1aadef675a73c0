package dev.securenet;

import dev.securenet.internal.dtls.DtlsClient;
import dev.securenet.internal.dtls.DtlsSettings;
import dev.securenet.internal.net.DatagramSession;
import dev.securenet.internal.net.Handshakes;
import dev.securenet.internal.net.ObservedSession;
import dev.securenet.internal.net.Observation;
import dev.securenet.internal.net.PlainDatagramClient;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A UDP association that is DTLS 1.2 unless its {@link #securityProperties()} say
 * {@link SecurityProperties#disableSecurity() disableSecurity()}: P1861R0's {@code ip::udp::socket}.
 *
 * <pre>{@code
 * try (UdpSocket socket = UdpSocket.open()) {
 *     socket.connect("sensor.example", 5684);            // DTLS handshake done, server verified
 *     socket.send(ByteBuffer.wrap(reading));               // one message, one record, one datagram
 *     int n = socket.receive(buffer, Duration.ofSeconds(2));
 * }
 * }</pre>
 *
 * <p>Messages keep their boundaries: one {@code send} is one datagram, and a message larger than
 * {@link #maxMessageSize()} is refused rather than split. Delivery is UDP's: messages may be lost or
 * reordered, never duplicated (replayed records are dropped). The handshake retransmits lost flights
 * (RFC 6347 timers: {@link #setRetransmissionTimeout initially 1 s}, doubling) within the handshake
 * timeout.
 */
public final class UdpSocket implements Closeable {

    /** The datagram payload size assumed unless {@link #setMtu(int)} says otherwise. */
    public static final int DEFAULT_MTU = 1200;

    /** The first handshake retransmission timer unless {@link #setRetransmissionTimeout} says otherwise. */
    public static final Duration DEFAULT_RETRANSMISSION_TIMEOUT = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger(UdpSocket.class.getName());

    private final SecurityProperties properties;
    private int mtu = DEFAULT_MTU;
    private Duration retransmissionTimeout = DEFAULT_RETRANSMISSION_TIMEOUT;
    private volatile EndpointObserver observer = EndpointObserver.NONE;
    private volatile DatagramSession session;
    private volatile boolean closed;

    private UdpSocket(SecurityProperties properties, DatagramSession session) {
        this.properties = properties;
        this.session = session;
    }

    /** @return a new, unconnected socket with secure defaults */
    public static UdpSocket open() {
        return new UdpSocket(new SecurityProperties(), null);
    }

    /** Wraps a peer session an acceptor established; it shares the acceptor's properties. */
    static UdpSocket accepted(SecurityProperties acceptorProperties, DatagramSession session) {
        return new UdpSocket(acceptorProperties, session);
    }

    /** @return this socket's security properties, to configure before {@code connect} */
    public SecurityProperties securityProperties() {
        return properties;
    }

    /**
     * Sets the largest datagram payload this socket sends. The JDK's DTLS engine also refuses
     * records larger than this, so the peer's MTU must not exceed it.
     *
     * @param mtu bytes, at least 256; {@link #DEFAULT_MTU} unless set
     * @return this
     */
    public synchronized UdpSocket setMtu(int mtu) {
        new DtlsSettings(mtu, retransmissionTimeout, properties.handshakeTimeout()); // validates
        this.mtu = mtu;
        return this;
    }

    /**
     * Sets the first retransmission timer of the handshake; it doubles on each expiry, up to 60 s.
     *
     * @param timeout a positive duration; {@link #DEFAULT_RETRANSMISSION_TIMEOUT} unless set
     * @return this
     */
    public synchronized UdpSocket setRetransmissionTimeout(Duration timeout) {
        new DtlsSettings(mtu, Objects.requireNonNull(timeout, "timeout"), properties.handshakeTimeout()); // validates
        this.retransmissionTimeout = timeout;
        return this;
    }

    /**
     * Reports this socket's handshake, association and bytes to {@code observer}. Read at {@code connect}.
     *
     * @param observer what hears them; {@link EndpointObserver#NONE} unless set
     * @return this
     */
    public UdpSocket setObserver(EndpointObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    /**
     * Associates with a server and, unless security is disabled, completes the DTLS handshake,
     * verifying the server as {@code host} (or the host given to {@link SecurityProperties#setHost}).
     *
     * @param host a DNS name or IP address literal
     * @param port the port
     * @throws SecureConnectionException if the handshake fails or times out
     */
    public void connect(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        establish(new InetSocketAddress(InetAddress.getByName(host), port), host);
    }

    /**
     * Associates with an address; the server is verified as the host given to
     * {@link SecurityProperties#setHost}; else, for an unresolved address, as its host name; else as
     * its IP address. A resolved address's host name is never used: it may come from reverse DNS.
     *
     * @param address the server
     * @throws SecureConnectionException if the handshake fails or times out
     */
    public void connect(InetSocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            connect(address.getHostString(), address.getPort());
            return;
        }
        establish(address, address.getAddress().getHostAddress());
    }

    private void establish(InetSocketAddress address, String requestedHost) throws IOException {
        synchronized (this) {
            if (closed || session != null) {
                throw new SocketException(closed ? "the socket is closed" : "the socket is already connected");
            }
        }
        DatagramSession established;
        Observation observation = Observation.of(observer);
        if (properties.isSecurityDisabled()) {
            LOG.log(Level.WARNING, "security disabled: UdpSocket to {0}:{1,number,#} speaks PLAINTEXT", requestedHost, address.getPort());
            established = new PlainDatagramClient(address, mtu);
        } else {
            String verifiedHost = properties.host().orElse(requestedHost);
            var settings = properties.clientSettings("UdpSocket to " + verifiedHost + ":" + address.getPort());
            DtlsSettings dtls = new DtlsSettings(mtu, retransmissionTimeout, properties.handshakeTimeout());
            established = Handshakes.observed(observation, () -> DtlsClient.connect(settings, dtls, address, verifiedHost),
                    DatagramSession::protocol);
        }
        established = ObservedSession.of(established, observation);
        synchronized (this) {
            if (closed) {
                established.close();
                throw new SocketException("the socket was closed during connect");
            }
            session = established;
        }
    }

    /**
     * Sends one message as one datagram.
     *
     * @param message the bytes from position to limit
     * @throws IOException if it is larger than {@link #maxMessageSize()} or the socket is closed
     */
    public void send(ByteBuffer message) throws IOException {
        session().send(message);
    }

    /**
     * Receives one message, waiting for it.
     *
     * @param destination where to put it; a longer message is truncated, as with UDP
     * @return its length, or -1 once the peer has closed the association
     */
    public int receive(ByteBuffer destination) throws IOException {
        return session().receive(destination, null);
    }

    /**
     * Receives one message, waiting at most {@code timeout}.
     *
     * @return its length, or -1 once the peer has closed the association
     * @throws java.net.SocketTimeoutException if none came in time
     */
    public int receive(ByteBuffer destination, Duration timeout) throws IOException {
        return session().receive(destination, Objects.requireNonNull(timeout, "timeout"));
    }

    /** @return the largest message {@link #send} accepts: the MTU less the record overhead */
    public int maxMessageSize() throws IOException {
        return session().maxMessageSize();
    }

    /**
     * @return whether the handshake resumed an earlier session instead of a full handshake;
     *         {@code false} for plaintext
     */
    public boolean isSessionResumed() throws IOException {
        return session().resumed();
    }

    /** @return "DTLSv1.2" or "plaintext" */
    public String protocol() throws IOException {
        return session().protocol();
    }

    /** @return the certificate chain the peer presented, if any */
    public Optional<CertificateChain> peerCertificates() throws IOException {
        List<X509Certificate> chain = session().peerCertificates();
        return chain.isEmpty() ? Optional.empty()
                : Optional.of(CertificateChain.of(chain, properties.host().orElse(null)));
    }

    /** @return the peer's address */
    public InetSocketAddress remoteAddress() throws IOException {
        return session().remoteAddress();
    }

    /** @return this end's address */
    public InetSocketAddress localAddress() throws IOException {
        return session().localAddress();
    }

    /** @return whether the socket is associated and not closed */
    public boolean isConnected() {
        return session != null && !closed;
    }

    private DatagramSession session() throws IOException {
        DatagramSession current = session;
        if (closed) {
            throw new SocketException("the socket is closed");
        }
        if (current == null) {
            throw new SocketException("the socket is not connected");
        }
        return current;
    }

    /** Sends close_notify (DTLS) and releases the socket. Closing twice does nothing. */
    @Override
    public void close() throws IOException {
        DatagramSession current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = session;
        }
        if (current != null) {
            current.close();
        }
    }

    @Override
    public String toString() {
        DatagramSession current = session;
        return "UdpSocket[" + (current == null ? (closed ? "closed" : "unconnected")
                : current.protocol() + " " + current.localAddress() + " -> " + current.remoteAddress()) + "]";
    }
}
