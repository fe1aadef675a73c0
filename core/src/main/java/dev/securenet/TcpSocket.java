package dev.securenet;

import dev.securenet.internal.net.Connection;
import dev.securenet.internal.net.Handshakes;
import dev.securenet.internal.net.ObservedConnection;
import dev.securenet.internal.net.Observation;
import dev.securenet.internal.net.PlainConnection;
import dev.securenet.internal.tls.TlsEngine;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A TCP connection that is TLS (1.3 or 1.2) unless its {@link #securityProperties()} say
 * {@link SecurityProperties#disableSecurity() disableSecurity()}: P1861R0's {@code ip::tcp::socket}.
 *
 * <pre>{@code
 * try (TcpSocket socket = TcpSocket.open()) {
 *     socket.connect("www.example.com", 443);    // handshake done, server verified
 *     socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n".getBytes(US_ASCII));
 *     byte[] response = socket.getInputStream().readNBytes(1000);
 * }
 * }</pre>
 *
 * <p>The handshake completes inside {@code connect}, so a connected socket is always verified; a
 * failed handshake throws {@link SecureConnectionException} with its reason. Reads and writes are
 * blocking; one thread may read while another writes.
 */
public final class TcpSocket implements Closeable {

    private static final System.Logger LOG = System.getLogger(TcpSocket.class.getName());

    private final SecurityProperties properties;
    private volatile Connection connection;
    private volatile boolean closed;
    private volatile boolean tcpNoDelay = true;
    private volatile EndpointObserver observer = EndpointObserver.NONE;

    private TcpSocket(SecurityProperties properties, Connection connection) {
        this.properties = properties;
        this.connection = connection;
    }

    /** @return a new, unconnected socket with secure defaults */
    public static TcpSocket open() {
        return new TcpSocket(new SecurityProperties(), null);
    }

    /** Wraps a connection an acceptor established; it shares the acceptor's properties. */
    static TcpSocket accepted(SecurityProperties acceptorProperties, Connection connection) {
        return new TcpSocket(acceptorProperties, connection);
    }

    /** @return this socket's security properties, to configure before {@code connect} */
    public SecurityProperties securityProperties() {
        return properties;
    }

    /**
     * Whether small writes go out at once ({@code TCP_NODELAY}); on unless set off. With it off, a
     * TLS flight written in several pieces waits for the peer's delayed acknowledgement (about 40 ms
     * on Linux), once per side of every new connection, and so does every small request after a
     * write. Applies from {@code connect}, or at once on a connected socket.
     *
     * @param on whether to send without delay
     * @return this
     */
    public TcpSocket setTcpNoDelay(boolean on) throws IOException {
        tcpNoDelay = on;
        Connection current = connection;
        if (current != null) {
            current.socket().setTcpNoDelay(on);
        }
        return this;
    }

    /**
     * Reports this socket's handshake, connection and bytes to {@code observer}. Read at {@code connect}.
     *
     * @param observer what hears them; {@link EndpointObserver#NONE} unless set
     * @return this
     */
    public TcpSocket setObserver(EndpointObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    /** @return whether the connected socket sends without delay ({@code TCP_NODELAY}), as the system reports it */
    public boolean isTcpNoDelay() throws IOException {
        return connection().socket().getTcpNoDelay();
    }

    /**
     * Connects and, unless security is disabled, completes the TLS handshake and verifies the server
     * as {@code host} (or as the host given to {@link SecurityProperties#setHost(String)}).
     *
     * @param host a DNS name or IP address literal; every address it resolves to is tried in turn
     * @param port the port
     * @throws SecureConnectionException if the handshake fails
     * @throws IOException               if no TCP connection could be made
     */
    public void connect(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        TlsEngine engine = engine(host, port);
        IOException last = null;
        for (InetAddress address : InetAddress.getAllByName(host)) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(tcpNoDelay);
                socket.connect(new InetSocketAddress(address, port), timeoutMillis());
            } catch (IOException e) {
                socket.close();
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
                continue;
            }
            establish(engine, socket, host, port);
            return;
        }
        throw last;
    }

    /**
     * Connects to an address. The server is verified as the host given to
     * {@link SecurityProperties#setHost(String)}; else, for an unresolved address
     * ({@link InetSocketAddress#createUnresolved}), as its host name; else as its IP address, which
     * the certificate must then name. A resolved address's host name is never used: it may come from
     * reverse DNS, which an attacker can answer.
     *
     * @param address where to connect
     * @throws SecureConnectionException if the handshake fails
     * @throws IOException               if no TCP connection could be made
     */
    public void connect(InetSocketAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            connect(address.getHostString(), address.getPort());
            return;
        }
        String literal = address.getAddress().getHostAddress();
        TlsEngine engine = engine(literal, address.getPort());
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(tcpNoDelay);
            socket.connect(address, timeoutMillis());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        establish(engine, socket, literal, address.getPort());
    }

    /** Settles the configuration before any traffic: incomplete identities fail here. */
    private TlsEngine engine(String requestedHost, int port) {
        if (properties.isSecurityDisabled()) {
            return null;
        }
        return properties.clientEngine("TcpSocket to " + properties.host().orElse(requestedHost) + ":" + port);
    }

    private void establish(TlsEngine engine, Socket socket, String requestedHost, int port) throws IOException {
        synchronized (this) {
            if (closed || connection != null) {
                socket.close();
                throw new SocketException(closed ? "the socket is closed" : "the socket is already connected");
            }
        }
        Connection established;
        Observation observation = Observation.of(observer);
        if (engine == null) {
            LOG.log(Level.WARNING, "security disabled: TcpSocket to {0}:{1,number,#} speaks PLAINTEXT", requestedHost, port);
            established = new PlainConnection(socket);
        } else {
            String verifiedHost = properties.host().orElse(requestedHost);
            established = Handshakes.observed(observation, () -> engine.connect(socket, verifiedHost, port), Connection::protocol);
        }
        established = ObservedConnection.of(established, observation);
        synchronized (this) {
            if (closed) {
                established.close();
                throw new SocketException("the socket was closed during connect");
            }
            connection = established;
        }
    }

    private int timeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, properties.handshakeTimeout().toMillis());
    }

    /** @return the stream of data from the peer */
    public InputStream getInputStream() throws IOException {
        return connection().input();
    }

    /** @return the stream of data to the peer */
    public OutputStream getOutputStream() throws IOException {
        return connection().output();
    }

    /**
     * Reads what is available, blocking until at least one byte is.
     *
     * @param destination where to put the bytes
     * @return the number of bytes read, or -1 at the end of the stream
     */
    public int read(ByteBuffer destination) throws IOException {
        if (!destination.hasRemaining()) {
            return 0;
        }
        InputStream input = getInputStream();
        if (destination.hasArray()) {
            int n = input.read(destination.array(), destination.arrayOffset() + destination.position(), destination.remaining());
            if (n > 0) {
                destination.position(destination.position() + n);
            }
            return n;
        }
        byte[] chunk = new byte[Math.min(destination.remaining(), 16 * 1024)];
        int n = input.read(chunk);
        if (n > 0) {
            destination.put(chunk, 0, n);
        }
        return n;
    }

    /**
     * Writes all remaining bytes of the buffer.
     *
     * @param source the bytes to send
     * @return the number of bytes written
     */
    public int write(ByteBuffer source) throws IOException {
        int total = source.remaining();
        OutputStream output = getOutputStream();
        if (source.hasArray()) {
            output.write(source.array(), source.arrayOffset() + source.position(), total);
            source.position(source.limit());
        } else {
            byte[] chunk = new byte[Math.min(total, 16 * 1024)];
            while (source.hasRemaining()) {
                int n = Math.min(chunk.length, source.remaining());
                source.get(chunk, 0, n);
                output.write(chunk, 0, n);
            }
        }
        output.flush();
        return total;
    }

    /**
     * Bounds each blocking read.
     *
     * @param timeout how long a read may wait, or {@link Duration#ZERO} to wait forever
     */
    public void setReadTimeout(Duration timeout) throws IOException {
        connection().socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /**
     * @return whether the handshake resumed an earlier session (TLS 1.3 PSK, TLS 1.2 session ID or
     *         ticket) instead of a full handshake; {@code false} for plaintext. Resumption skips the
     *         certificate exchange, so it is what makes repeated connections cheap.
     */
    public boolean isSessionResumed() throws IOException {
        return connection().resumed();
    }

    /** @return "TLSv1.3", "TLSv1.2" or "plaintext" */
    public String protocol() throws IOException {
        return connection().protocol();
    }

    /** @return the certificate chain the peer presented, if it presented one */
    public Optional<CertificateChain> peerCertificates() throws IOException {
        List<java.security.cert.X509Certificate> chain = connection().peerCertificates();
        return chain.isEmpty() ? Optional.empty()
                : Optional.of(CertificateChain.of(chain, properties.host().orElse(null)));
    }

    /** @return for an accepted socket, the host name the client asked for with SNI, if any */
    public Optional<String> requestedServerName() throws IOException {
        return connection().requestedServerName();
    }

    /** @return the peer's address */
    public InetSocketAddress remoteAddress() throws IOException {
        return (InetSocketAddress) connection().socket().getRemoteSocketAddress();
    }

    /** @return this end's address */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) connection().socket().getLocalSocketAddress();
    }

    /** @return whether the socket is connected and not closed */
    public boolean isConnected() {
        return connection != null && !closed;
    }

    private Connection connection() throws IOException {
        Connection current = connection;
        if (closed) {
            throw new SocketException("the socket is closed");
        }
        if (current == null) {
            throw new SocketException("the socket is not connected");
        }
        return current;
    }

    /** Closes the connection, sending TLS close_notify first. Closing twice does nothing. */
    @Override
    public void close() throws IOException {
        Connection current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = connection;
        }
        if (current != null) {
            current.close();
        }
    }

    @Override
    public String toString() {
        Connection current = connection;
        return "TcpSocket[" + (current == null ? (closed ? "closed" : "unconnected")
                : current.protocol() + " " + current.socket().getLocalSocketAddress() + " -> "
                + current.socket().getRemoteSocketAddress()) + "]";
    }
}
