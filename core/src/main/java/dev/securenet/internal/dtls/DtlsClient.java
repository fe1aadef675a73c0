package dev.securenet.internal.dtls;

import dev.securenet.SecureConnectionException;
import dev.securenet.internal.net.DatagramSession;
import dev.securenet.internal.tls.HandshakeFailures;
import dev.securenet.internal.tls.Sessions;
import dev.securenet.internal.tls.PeerChains;
import dev.securenet.internal.tls.ClientEngines;
import dev.securenet.internal.tls.TlsSettings;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.net.ssl.SSLEngine;

/**
 * The client side of DTLS: a connected UDP socket, a handshake driven with RFC 6347 timers, then
 * one message per record per datagram.
 */
public final class DtlsClient implements DatagramSession {

    private static final int MAX_DATAGRAM = 65_535;


    private final DatagramSocket socket;
    private final DtlsPeer peer;
    private boolean resumed;
    private int maxPayload; // known once the handshake chose the cipher suite
    private final Deque<byte[]> early = new ArrayDeque<>();
    private final byte[] receiveBuffer = new byte[MAX_DATAGRAM];

    private DtlsClient(DatagramSocket socket, DtlsPeer peer) {
        this.socket = socket;
        this.peer = peer;
    }

    /**
     * Connects and completes the handshake, verifying the server as {@code host}.
     *
     * @param settings the client's security settings
     * @param dtls     the datagram settings
     * @param address  the server's address
     * @param host     the name (or address literal) the server must prove; also SNI
     * @return the established session
     * @throws SecureConnectionException if the handshake fails or times out
     */
    public static DtlsClient connect(TlsSettings settings, DtlsSettings dtls, InetSocketAddress address, String host)
            throws IOException {
        // shared: sessions resume across sockets, and the policy is asked of the provider once
        SSLEngine engine = DtlsEngines.client(ClientEngines.dtlsContext(settings), settings, host, address.getPort(), dtls.mtu());
        DatagramSocket socket = new DatagramSocket();
        try {
            socket.connect(address);
            DtlsPeer peer = new DtlsPeer(engine, datagram -> socket.send(packet(datagram)));
            DtlsClient client = new DtlsClient(socket, peer);
            client.handshake(dtls, "server " + host + ":" + address.getPort(), settings.hasIdentity());
            client.maxPayload = dtls.maxPayload(engine.getSession().getCipherSuite());
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void handshake(DtlsSettings dtls, String description, boolean hasCertificate) throws IOException {
        long started = System.currentTimeMillis();
        long deadline = System.nanoTime() + dtls.handshakeTimeout().toNanos();
        Duration timer = dtls.retransmissionTimeout();
        try {
            peer.begin();
            while (!peer.isFinished()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new SocketTimeoutException("handshake deadline");
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(timer.toMillis(), remaining / 1_000_000)));
                DatagramPacket packet = new DatagramPacket(receiveBuffer, receiveBuffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException expired) {
                    timer = dtls.next(timer);
                    peer.onTimeout();
                    continue;
                }
                early.addAll(peer.onDatagram(ByteBuffer.wrap(packet.getData(), 0, packet.getLength())));
                timer = dtls.retransmissionTimeout(); // progress: the next flight starts with a fresh timer
            }
            resumed = Sessions.resumed(peer.engine().getSession(), started);
        } catch (PortUnreachableException e) {
            throw e; // nothing listens there: a connection failure, not a handshake failure
        } catch (IOException e) {
            boolean timedOut = e instanceof SocketTimeoutException;
            if (!timedOut) {
                peer.sendFailureAlert(); // the server may stop waiting for us and serve its next client
            }
            throw HandshakeFailures.classify(e, timedOut, description, dtls.handshakeTimeout().toMillis(), hasCertificate);
        }
    }

    private static DatagramPacket packet(ByteBuffer datagram) {
        return new DatagramPacket(datagram.array(), datagram.arrayOffset() + datagram.position(), datagram.remaining());
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        peer.send(message, maxPayload);
    }

    @Override
    public synchronized int receive(ByteBuffer destination, Duration timeout) throws IOException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (early.isEmpty()) {
            if (peer.isInboundClosed()) {
                return -1;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new SocketTimeoutException("no message within " + timeout.toMillis() + " ms");
            }
            socket.setSoTimeout(timeout == null ? 0 : (int) Math.max(1, remaining / 1_000_000));
            DatagramPacket packet = new DatagramPacket(receiveBuffer, receiveBuffer.length);
            socket.receive(packet);
            early.addAll(peer.onDatagram(ByteBuffer.wrap(packet.getData(), 0, packet.getLength())));
        }
        byte[] message = early.removeFirst();
        int length = Math.min(message.length, destination.remaining());
        destination.put(message, 0, length);
        return length;
    }

    @Override
    public int maxMessageSize() {
        return maxPayload;
    }

    @Override
    public boolean resumed() {
        return resumed;
    }

    @Override
    public String protocol() {
        return peer.engine().getSession().getProtocol();
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return PeerChains.of(peer.engine().getSession());
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
        try {
            peer.close();
        } catch (IOException e) {
            // close_notify is a courtesy over UDP; the socket closes regardless
        } finally {
            socket.close();
        }
    }
}
