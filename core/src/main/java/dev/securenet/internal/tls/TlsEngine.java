package dev.securenet.internal.tls;

import dev.securenet.internal.net.Connection;
import java.io.IOException;
import java.net.Socket;

/**
 * Secures connected TCP sockets for one endpoint configuration. Implementations hold the
 * configuration's expensive state (contexts, session caches) and are safe for concurrent use.
 */
public interface TlsEngine {

    /**
     * Runs the client handshake over a connected socket. Returns only once the server is verified.
     *
     * @param connected the connected TCP socket; closed on failure
     * @param host      the name (or address literal) the server must prove; also sent as SNI
     * @param port      the server's port, which with {@code host} keys session resumption
     * @return the secured connection
     * @throws dev.securenet.SecureConnectionException if the handshake fails or times out
     */
    Connection connect(Socket connected, String host, int port) throws IOException;

    /**
     * Runs the server handshake over an accepted socket.
     *
     * @param accepted the accepted TCP socket; closed on failure
     * @return the secured connection
     * @throws dev.securenet.SecureConnectionException if the handshake fails or times out
     */
    Connection accept(Socket accepted) throws IOException;
}
