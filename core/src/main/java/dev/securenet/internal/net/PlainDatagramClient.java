package dev.securenet.internal.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/** A connected UDP socket with security explicitly disabled. */
public final class PlainDatagramClient implements DatagramSession {

    private static final int UDP_HEADER = 8;

    private final DatagramSocket socket;
    private final int maxPayload;
    private final byte[] buffer = new byte[65_535];

    /**
     * @param address where to send
     * @param mtu     the largest datagram payload
     */
    public PlainDatagramClient(InetSocketAddress address, int mtu) throws IOException {
        this.socket = new DatagramSocket();
        this.socket.connect(address);
        this.maxPayload = maxPayload(mtu);
    }

    /** @return the largest plain message for an MTU: the MTU less the UDP header */
    public static int maxPayload(int mtu) {
        return mtu - UDP_HEADER;
    }

    /**
     * @return the message's bytes, checked to fit one datagram
     * @throws IOException if it does not: datagrams are never split
     */
    public static byte[] datagram(ByteBuffer message, int maxPayload) throws IOException {
        if (message.remaining() > maxPayload) {
            throw new IOException("a " + message.remaining() + "-byte message exceeds the " + maxPayload
                    + "-byte datagram limit for this MTU: datagrams are never split");
        }
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        return bytes;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        byte[] bytes = datagram(message, maxPayload);
        socket.send(new DatagramPacket(bytes, bytes.length));
    }

    @Override
    public synchronized int receive(ByteBuffer destination, Duration timeout) throws IOException {
        socket.setSoTimeout(timeout == null ? 0 : (int) Math.max(1, timeout.toMillis()));
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no message within " + timeout.toMillis() + " ms");
        }
        int length = Math.min(packet.getLength(), destination.remaining());
        destination.put(buffer, 0, length);
        return length;
    }

    @Override
    public int maxMessageSize() {
        return maxPayload;
    }

    @Override
    public boolean resumed() {
        return false;
    }

    @Override
    public String protocol() {
        return "plaintext";
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return List.of();
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
        socket.close();
    }
}
