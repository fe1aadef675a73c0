package dev.securenet;

/**
 * Hears how one handshake ended; see {@link EndpointObserver#handshakeStarted()}. Exactly one method
 * is called, once, on the thread that ran the handshake.
 */
public interface HandshakeObserver {

    /** Observes nothing. */
    HandshakeObserver NONE = new HandshakeObserver() {
    };

    /**
     * The handshake succeeded.
     *
     * @param protocol the protocol agreed: "TLSv1.3", "TLSv1.2" or "DTLSv1.2"
     */
    default void succeeded(String protocol) {
    }

    /**
     * The handshake failed; {@link SecureConnectionException#reason()} says why.
     *
     * @param failure what the endpoint's caller sees (or, for an acceptor, its {@code accept()})
     */
    default void failed(SecureConnectionException failure) {
    }
}
