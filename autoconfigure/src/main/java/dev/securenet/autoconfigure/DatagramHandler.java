package dev.securenet.autoconfigure;

import dev.securenet.UdpSocket;
import java.io.IOException;

/**
 * Serves one DTLS peer of an acceptor with {@code protocol: dtls}: the counterpart of
 * {@link ConnectionHandler} for UDP. The starter closes the peer's socket (sending close_notify)
 * when the handler returns or throws.
 */
@FunctionalInterface
public interface DatagramHandler {

    /**
     * @param peer a socket talking to one peer whose handshake is complete
     * @throws IOException when the association fails; it is logged and the socket closed
     */
    void handle(UdpSocket peer) throws IOException;
}
