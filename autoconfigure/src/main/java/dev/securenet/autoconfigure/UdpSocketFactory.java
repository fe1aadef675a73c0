package dev.securenet.autoconfigure;

import dev.securenet.SecurityProperties;
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
    private final Consumer<UdpSocket> datagrams;
    private volatile Consumer<SecurityProperties> security;

    /**
     * @param datagrams configures a socket's DTLS settings and observer
     * @param security  configures a socket's security properties
     */
    UdpSocketFactory(String name, String host, int port, Consumer<UdpSocket> datagrams, Consumer<SecurityProperties> security) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.datagrams = datagrams;
        this.security = security;
    }

    /** Sockets connected from now on are configured so (a rotated client certificate, new trusted roots). */
    void reconfigure(Consumer<SecurityProperties> security) {
        this.security = security;
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
            security.accept(socket.securityProperties());
            datagrams.accept(socket);
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
