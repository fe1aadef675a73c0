package dev.securenet.autoconfigure;

import dev.securenet.EndpointObserver;
import dev.securenet.SecurityProperties;
import dev.securenet.TcpSocket;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Connects to one configured endpoint ({@code securenet.sockets.<name>}). Inject it by name:
 *
 * <pre>{@code
 * MyService(@Qualifier("backend") TcpSocketFactory backend) { ... }
 *
 * try (TcpSocket socket = backend.connect()) { ... }
 * }</pre>
 */
public final class TcpSocketFactory {

    private final String name;
    private final String host;
    private final int port;
    private final boolean tcpNoDelay;
    private final EndpointObserver observer;
    private volatile Consumer<SecurityProperties> configuration;

    TcpSocketFactory(String name, String host, int port, boolean tcpNoDelay, EndpointObserver observer,
                     Consumer<SecurityProperties> configuration) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.tcpNoDelay = tcpNoDelay;
        this.observer = observer;
        this.configuration = configuration;
    }

    /** Sockets connected from now on are configured so (a rotated client certificate, new trusted roots). */
    void reconfigure(Consumer<SecurityProperties> configuration) {
        this.configuration = configuration;
    }

    /**
     * Opens a socket configured as the properties say and connects it.
     *
     * @return a connected socket whose server is verified; the caller closes it
     * @throws dev.securenet.SecureConnectionException if the handshake fails
     * @throws IOException                            if no connection could be made
     */
    public TcpSocket connect() throws IOException {
        TcpSocket socket = TcpSocket.open();
        try {
            configuration.accept(socket.securityProperties());
            socket.setTcpNoDelay(tcpNoDelay).setObserver(observer);
            socket.connect(host, port);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** @return the entry's name */
    public String name() {
        return name;
    }

    /** @return the host connected to */
    public String host() {
        return host;
    }

    /** @return the port connected to */
    public int port() {
        return port;
    }

    @Override
    public String toString() {
        return "TcpSocketFactory[" + name + " -> " + host + ":" + port + "]";
    }
}
