package dev.securenet;

/**
 * Hears what one endpoint does, for metrics, tracing and logs: each handshake and how it ended, each
 * connection (or DTLS association) from its handshake to its close, and the application bytes it
 * carried. Give one to an acceptor or socket with {@code setObserver} before it listens, binds or
 * connects.
 *
 * <pre>{@code
 * acceptor.setObserver(new EndpointObserver() {
 *     public HandshakeObserver handshakeStarted() {
 *         long start = System.nanoTime();
 *         return new HandshakeObserver() {
 *             public void succeeded(String protocol) {
 *                 handshakeTimes.record(System.nanoTime() - start);
 *             }
 *         };
 *     }
 * });
 * }</pre>
 *
 * <p>Methods run on the thread that did the work, often one that serves other peers too: they must
 * return quickly and must not block. What they throw is logged and ignored: an observer never breaks
 * a connection. Every method does nothing unless overridden.
 */
public interface EndpointObserver {

    /** Observes nothing. */
    EndpointObserver NONE = new EndpointObserver() {
    };

    /**
     * A handshake begins: for an acceptor, a client connected (DTLS: proved its address); for a
     * socket, it connected to the server.
     *
     * @return what hears how this handshake ends: exactly one of its methods is called
     */
    default HandshakeObserver handshakeStarted() {
        return HandshakeObserver.NONE;
    }

    /**
     * A connection is established: its handshake succeeded (plaintext: it was accepted or made).
     * Each is followed by exactly one {@link #connectionClosed()}.
     */
    default void connectionOpened() {
    }

    /**
     * An established connection ended: this side closed it (a TCP connection is reported when its
     * socket is closed, whoever ended the stream), or, for DTLS, the peer closed the association or
     * it was evicted.
     */
    default void connectionClosed() {
    }

    /**
     * Application data arrived.
     *
     * @param count how many bytes
     */
    default void bytesReceived(long count) {
    }

    /**
     * Application data was sent.
     *
     * @param count how many bytes
     */
    default void bytesSent(long count) {
    }

    /** DTLS acceptors: a cookie (HelloVerifyRequest) went to an address that had not proved itself yet. */
    default void cookieSent() {
    }
}
