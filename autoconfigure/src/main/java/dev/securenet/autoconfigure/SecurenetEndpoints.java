package dev.securenet.autoconfigure;

import dev.securenet.TcpAcceptor;
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

    /** @return the configured, not yet bound acceptor of {@code securenet.acceptors.<name>} */
    TcpAcceptor acceptor(String name) {
        String prefix = "securenet.acceptors." + name;
        Acceptor entry = properties.getAcceptors().get(name);
        Consumer<SecurityProperties> configuration = configurer.resolve(prefix, entry, entry.getAddress() + ":" + entry.getPort());
        TcpAcceptor acceptor = TcpAcceptor.open();
        configuration.accept(acceptor.securityProperties());
        if (!acceptor.securityProperties().isSecurityDisabled() && acceptor.securityProperties().certificateChain().isEmpty()) {
            throw new SecurenetConfigurationException(prefix + ".certificates",
                    "an acceptor needs a certificate chain and a private key to serve TLS, and none is configured",
                    "Set " + prefix + ".certificates and " + prefix + ".private-key (or " + prefix + ".bundle); "
                            + "for development only, 'certificates: self-signed'; for plaintext, an explicit "
                            + prefix + ".disable-security: true.", null);
        }
        return acceptor;
    }

    /** @return the lifecycle that binds, serves and closes the acceptor of {@code securenet.acceptors.<name>} */
    AcceptorLifecycle lifecycle(String name, TcpAcceptor acceptor) {
        String prefix = "securenet.acceptors." + name;
        Acceptor entry = properties.getAcceptors().get(name);
        ConnectionHandler handler = entry.getHandler() == null ? null
                : configurer.bean(prefix + ".handler", entry.getHandler(), ConnectionHandler.class);
        return new AcceptorLifecycle(prefix, acceptor, entry, handler, executor);
    }

    /** @return the socket factory of {@code securenet.sockets.<name>} */
    TcpSocketFactory socketFactory(String name) {
        String prefix = "securenet.sockets." + name;
        Socket entry = properties.getSockets().get(name);
        if (entry.getHost() == null || entry.getHost().isBlank()) {
            throw new SecurenetConfigurationException(prefix + ".host", "no host is configured",
                    "Set " + prefix + ".host to the server's name (the name its certificate carries).", null);
        }
        if (entry.getPort() < 1 || entry.getPort() > 65535) {
            throw new SecurenetConfigurationException(prefix + ".port", "port " + entry.getPort() + " is not a TCP port",
                    "Set " + prefix + ".port to the server's port (1-65535).", null);
        }
        Consumer<SecurityProperties> configuration = configurer.resolve(prefix, entry, entry.getHost() + ":" + entry.getPort());
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
