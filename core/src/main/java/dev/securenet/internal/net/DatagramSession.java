package dev.securenet.internal.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/** An established datagram association with one peer, secured by DTLS or plaintext. */
public interface DatagramSession extends Closeable {

    /** Sends one message as one datagram. */
    void send(ByteBuffer message) throws IOException;

    /**
     * Receives one message.
     *
     * @param destination where to put it; a longer message is truncated, as with UDP
     * @param timeout     how long to wait, or {@code null} to wait until one comes
     * @return its length, or -1 once the peer has closed the association
     * @throws java.net.SocketTimeoutException if none came in time
     */
    int receive(ByteBuffer destination, Duration timeout) throws IOException;

    /** @return the largest message {@link #send} accepts */
    int maxMessageSize();

    /** @return "DTLSv1.2" or "plaintext" */
    String protocol();

    /** @return whether the handshake resumed an earlier session (an abbreviated handshake); false for plaintext */
    boolean resumed();

    /** @return the peer's certificate chain, leaf first; empty if none */
    List<X509Certificate> peerCertificates();

    /** @return the peer's address */
    InetSocketAddress remoteAddress();

    /** @return this end's address */
    InetSocketAddress localAddress();
}
