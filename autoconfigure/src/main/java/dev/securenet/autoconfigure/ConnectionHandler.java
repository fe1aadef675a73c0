package dev.securenet.autoconfigure;

import dev.securenet.TcpSocket;
import java.io.IOException;

/**
 * Serves one accepted connection. Name a bean of this type as an acceptor's {@code handler} and the
 * starter runs the accept loop, calling the handler for each connection on the application task
 * executor (virtual threads with {@code spring.threads.virtual.enabled=true} on JDK 21+). The starter
 * closes the socket when the handler returns or throws.
 */
@FunctionalInterface
public interface ConnectionHandler {

    /**
     * @param socket a connected socket whose handshake is complete
     * @throws IOException when the connection fails; it is logged and the socket closed
     */
    void handle(TcpSocket socket) throws IOException;
}
