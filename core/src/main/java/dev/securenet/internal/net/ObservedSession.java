package dev.securenet.internal.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/** A datagram session that reports its messages' bytes and its close to an {@link Observation}. */
public final class ObservedSession implements DatagramSession {

    private final DatagramSession session;
    private final Observation observation;
    private final Runnable closed;

    private ObservedSession(DatagramSession session, Observation observation) {
        this.session = session;
        this.observation = observation;
        this.closed = observation.connectionOpened();
    }

    /**
     * Reports the session as opened now.
     *
     * @return the session, reporting to {@code observation} (itself when nothing observes it)
     */
    public static DatagramSession of(DatagramSession session, Observation observation) {
        return observation.isActive() ? new ObservedSession(session, observation) : session;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        int length = message.remaining();
        session.send(message);
        observation.bytesSent(length);
    }

    @Override
    public int receive(ByteBuffer destination, Duration timeout) throws IOException {
        int length = session.receive(destination, timeout);
        observation.bytesReceived(length);
        return length;
    }

    @Override
    public int maxMessageSize() {
        return session.maxMessageSize();
    }

    @Override
    public boolean resumed() {
        return session.resumed();
    }

    @Override
    public String protocol() {
        return session.protocol();
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return session.peerCertificates();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return session.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return session.localAddress();
    }

    @Override
    public void close() throws IOException {
        try {
            session.close();
        } finally {
            closed.run();
        }
    }
}
