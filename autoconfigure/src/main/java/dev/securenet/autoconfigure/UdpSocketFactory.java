package dev.securenet.autoconfigure;

import dev.securenet.UdpSocket;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Connects to one configured DTLS endpoint ({@code securenet.sockets.<name>} with
 * {@code protocol: dtls}). Inject it by name, as {@link TcpSocketFactory}.
 */
public final class UdpSocketFactory {

    private final String name;
    private final String host;
    private final int port;
    private final Consumer<UdpSocket> configuration;

    UdpSocketFactory(String name, String host, int port, Consumer<UdpSocket> configuration) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.configuration = configuration;
    }

    /**
     * Opens a socket configured as the properties say and completes the DTLS handshake.
     *
     * @return an associated socket whose server is verified; the caller closes it
     * @throws dev.securenet.SecureConnectionException if the handshake fails or times out
     */
    public UdpSocket connect() throws IOException {
        UdpSocket socket = UdpSocket.open();
        try {
            configuration.accept(socket);
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

    /** @return the host associated with */
    public String host() {
        return host;
    }

    /** @return the port associated with */
    public int port() {
        return port;
    }


    @Override
    public String toString() {
        return "UdpSocketFactory[" + name + " -> " + host + ":" + port + " (DTLS)]";
    }
}
