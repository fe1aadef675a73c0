package dev.securenet.autoconfigure;

import dev.securenet.TcpAcceptor;
import dev.securenet.UdpAcceptor;
import dev.securenet.UdpSocket;
import dev.securenet.autoconfigure.SecurenetProperties.Protocol;
import java.io.Closeable;
import dev.securenet.autoconfigure.SecurenetProperties.Acceptor;
import dev.securenet.autoconfigure.SecurenetProperties.Socket;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import dev.securenet.SecurityProperties;

/**
 * Makes the endpoint beans of the {@code securenet.*} entries: acceptors, their lifecycles, and
 * socket factories. One job: turn an entry into a configured object, failing with the property at
 * fault.
 */
public class SecurenetEndpoints {

    private final SecurenetProperties properties;
    private final EndpointConfigurer configurer;
    private final Executor executor;

    SecurenetEndpoints(SecurenetProperties properties, EndpointConfigurer configurer, Executor executor) {
        this.properties = properties;
        this.configurer = configurer;
        this.executor = executor;
    }

    /**
     * @return the configured, not yet bound acceptor of {@code securenet.acceptors.<name>}: a
     *         {@link TcpAcceptor}, or a {@link UdpAcceptor} for {@code protocol: dtls}
     */
    Closeable acceptor(String name) {
        String prefix = "securenet.acceptors." + name;
        Acceptor entry = properties.getAcceptors().get(name);
        Consumer<SecurityProperties> configuration = configurer.resolve(prefix, entry, entry.getAddress() + ":" + entry.getPort());
        SecurityProperties security;
        Closeable acceptor;
        try {
            if (entry.getProtocol() == Protocol.DTLS) {
                UdpAcceptor udp = UdpAcceptor.open().setMtu(entry.getMtu()).setRetransmissionTimeout(entry.getRetransmissionTimeout())
                        .setMaxPeers(entry.getMaxPeers()).setMaxPendingHandshakes(entry.getMaxPendingHandshakes())
                        .setIdleTimeout(entry.getIdleTimeout());
                security = udp.securityProperties();
                acceptor = udp;
            } else {
                TcpAcceptor tcp = TcpAcceptor.open();
                security = tcp.securityProperties();
                acceptor = tcp;
            }
        } catch (IllegalArgumentException e) {
            throw new SecurenetConfigurationException(prefix, e.getMessage(), "Fix the DTLS settings of " + prefix + ".", e);
        }
        configuration.accept(security);
        if (!security.isSecurityDisabled() && security.certificateChain().isEmpty()) {
            throw new SecurenetConfigurationException(prefix + ".certificates",
                    "an acceptor needs a certificate chain and a private key to serve " + entry.getProtocol()
                            + ", and none is configured",
                    "Set " + prefix + ".certificates and " + prefix + ".private-key (or " + prefix + ".bundle); "
                            + "for development only, 'certificates: self-signed'; for plaintext, an explicit "
                            + prefix + ".disable-security: true.", null);
        }
        return acceptor;
    }

    /** @return the lifecycle that binds, serves and closes the acceptor of {@code securenet.acceptors.<name>} */
    AcceptorLifecycle<?> lifecycle(String name, Closeable acceptor) {
        String prefix = "securenet.acceptors." + name;
        Acceptor entry = properties.getAcceptors().get(name);
        boolean serving = entry.getHandler() != null;
        if (acceptor instanceof UdpAcceptor udp) {
            DatagramHandler handler = serving ? configurer.bean(prefix + ".handler", entry.getHandler(), DatagramHandler.class) : null;
            return new AcceptorLifecycle<>(prefix, ServedAcceptor.udp(udp, handler), entry, serving, executor);
        }
        ConnectionHandler handler = serving ? configurer.bean(prefix + ".handler", entry.getHandler(), ConnectionHandler.class) : null;
        return new AcceptorLifecycle<>(prefix, ServedAcceptor.tcp((TcpAcceptor) acceptor, handler), entry, serving, executor);
    }

    /**
     * @return the socket factory of {@code securenet.sockets.<name>}: a {@link TcpSocketFactory}, or
     *         a {@link UdpSocketFactory} for {@code protocol: dtls}
     */
    Object socketFactory(String name) {
        String prefix = "securenet.sockets." + name;
        Socket entry = properties.getSockets().get(name);
        if (entry.getHost() == null || entry.getHost().isBlank()) {
            throw new SecurenetConfigurationException(prefix + ".host", "no host is configured",
                    "Set " + prefix + ".host to the server's name (the name its certificate carries).", null);
        }
        if (entry.getPort() < 1 || entry.getPort() > 65535) {
            throw new SecurenetConfigurationException(prefix + ".port", "port " + entry.getPort() + " is not a port",
                    "Set " + prefix + ".port to the server's port (1-65535).", null);
        }
        Consumer<SecurityProperties> configuration = configurer.resolve(prefix, entry, entry.getHost() + ":" + entry.getPort());
        if (entry.getProtocol() == Protocol.DTLS) {
            Consumer<UdpSocket> udp = socket -> {
                configuration.accept(socket.securityProperties());
                socket.setMtu(entry.getMtu()).setRetransmissionTimeout(entry.getRetransmissionTimeout());
            };
            try {
                udp.accept(UdpSocket.open()); // fail now on bad DTLS settings
            } catch (IllegalArgumentException e) {
                throw new SecurenetConfigurationException(prefix, e.getMessage(), "Fix the DTLS settings of " + prefix + ".", e);
            }
            return new UdpSocketFactory(name, entry.getHost(), entry.getPort(), udp);
        }
        return new TcpSocketFactory(name, entry.getHost(), entry.getPort(), configuration);
    }

    /** @return the resolved identity of an entry, for SSL bundle registration */
    EndpointConfigurer.Identity identity(String prefix, SecurenetProperties.Endpoint entry) {
        return configurer.identity(prefix, entry);
    }

    SecurenetProperties properties() {
        return properties;
    }
}
