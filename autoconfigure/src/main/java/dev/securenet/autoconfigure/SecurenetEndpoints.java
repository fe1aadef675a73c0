package dev.securenet.autoconfigure;

import dev.securenet.EndpointObserver;
import dev.securenet.SecurityProperties;
import dev.securenet.TcpAcceptor;
import dev.securenet.UdpAcceptor;
import dev.securenet.UdpSocket;
import dev.securenet.autoconfigure.SecurenetProperties.Acceptor;
import dev.securenet.autoconfigure.SecurenetProperties.Endpoint;
import dev.securenet.autoconfigure.SecurenetProperties.Protocol;
import dev.securenet.autoconfigure.SecurenetProperties.Socket;
import dev.securenet.autoconfigure.EndpointObservers.ObservedEndpoint;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The factory of the endpoint beans of the {@code securenet.*} entries: acceptors, their
 * lifecycles, and socket factories. The registrar names its methods as factory methods, so that
 * Spring AOT can generate the bean definitions. One job: turn an entry into a configured object,
 * failing with the property at fault.
 */
class SecurenetEndpoints {

    /** How long a served TLS connection may be silent unless {@code read-timeout} or the handler says otherwise. */
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private final SecurenetProperties properties;
    private final EndpointSecurity security;
    private final BeanReferences beans;
    private final boolean virtualThreads;
    private final EndpointIdentities identities;
    private final EndpointRotation rotation;
    private final ObjectProvider<EndpointObservers> observers;
    private final Map<String, EndpointState> states = new ConcurrentHashMap<>();

    /**
     * @param virtualThreads whether connections are served on virtual threads (JDK 21+) rather than
     *                       platform threads
     * @param observers      the optional integrations (metrics, tracing) that observe every endpoint
     */
    SecurenetEndpoints(SecurenetProperties properties, EndpointSecurity security, BeanReferences beans, boolean virtualThreads,
                       EndpointIdentities identities, EndpointRotation rotation, ObjectProvider<EndpointObservers> observers) {
        this.properties = properties;
        this.security = security;
        this.beans = beans;
        this.virtualThreads = virtualThreads;
        this.identities = identities;
        this.rotation = rotation;
        this.observers = observers;
    }

    /** @return the endpoints made so far, for health and info */
    Collection<EndpointState> states() {
        return new TreeMap<>(states).values();
    }

    private EndpointObserver observer(String name, boolean acceptor, Endpoint entry) {
        ObservedEndpoint endpoint = new ObservedEndpoint(name, acceptor ? "server" : "client", protocolName(entry));
        return EndpointObservers.all(observers.orderedStream().map(contribution -> contribution.observe(endpoint)).toList());
    }

    private static String protocolName(Endpoint entry) {
        if (entry.isDisableSecurity()) {
            return entry.getProtocol() == Protocol.DTLS ? "udp" : "tcp";
        }
        return entry.getProtocol().name().toLowerCase(Locale.ROOT);
    }

    private static Optional<InetSocketAddress> bound(Supplier<InetSocketAddress> address) {
        try {
            return Optional.of(address.get());
        } catch (IllegalStateException notBound) {
            return Optional.empty();
        }
    }

    /** @return the configured, not yet bound acceptor of {@code securenet.acceptors.<name>} (TLS) */
    TcpAcceptor tcpAcceptor(String name) {
        Acceptor entry = acceptor(name);
        requireProtocol(acceptorPrefix(name), entry, Protocol.TLS);
        TcpAcceptor acceptor = TcpAcceptor.open()
                .setMaxPendingHandshakes(orDefault(entry.getMaxPendingHandshakes(), TcpAcceptor.DEFAULT_MAX_PENDING_HANDSHAKES))
                .setMaxPendingHandshakesPerAddress(orDefault(entry.getMaxPendingHandshakesPerAddress(),
                        TcpAcceptor.DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS))
                .setBacklogPerAddress(orDefault(entry.getBacklogPerAddress(), TcpAcceptor.DEFAULT_BACKLOG_PER_ADDRESS))
                .setTcpNoDelay(orDefault(entry.getTcpNoDelay(), true))
                .setObserver(observer(name, true, entry));
        secure(name, acceptor.securityProperties());
        followAcceptor(name, entry, () -> acceptor.securityProperties().certificateChain(), acceptor::localAddress,
                acceptor::reconfigure);
        return acceptor;
    }

    /** @return the configured, not yet bound acceptor of {@code securenet.acceptors.<name>} ({@code protocol: dtls}) */
    UdpAcceptor udpAcceptor(String name) {
        String prefix = acceptorPrefix(name);
        Acceptor entry = acceptor(name);
        requireProtocol(prefix, entry, Protocol.DTLS);
        UdpAcceptor acceptor = UdpAcceptor.open();
        dtlsSettings(prefix, () -> acceptor
                .setMtu(orDefault(entry.getMtu(), UdpSocket.DEFAULT_MTU))
                .setRetransmissionTimeout(orDefault(entry.getRetransmissionTimeout(), UdpSocket.DEFAULT_RETRANSMISSION_TIMEOUT))
                .setMaxPeers(orDefault(entry.getMaxPeers(), UdpAcceptor.DEFAULT_MAX_PEERS))
                .setMaxPendingHandshakes(orDefault(entry.getMaxPendingHandshakes(), UdpAcceptor.DEFAULT_MAX_PENDING_HANDSHAKES))
                .setMaxPendingHandshakesPerAddress(orDefault(entry.getMaxPendingHandshakesPerAddress(),
                        UdpAcceptor.DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS))
                .setIdleTimeout(orDefault(entry.getIdleTimeout(), UdpAcceptor.DEFAULT_IDLE_TIMEOUT))
                .setObserver(observer(name, true, entry)));
        secure(name, acceptor.securityProperties());
        followAcceptor(name, entry, () -> acceptor.securityProperties().certificateChain(), acceptor::localAddress,
                acceptor::reconfigure);
        return acceptor;
    }

    private void secure(String name, SecurityProperties target) {
        String prefix = acceptorPrefix(name);
        Acceptor entry = acceptor(name);
        security.resolveAcceptor(prefix, entry).accept(target);
        if (!target.isSecurityDisabled() && target.certificateChain().isEmpty()) {
            throw new SecurenetConfigurationException(prefix + ".certificates",
                    "an acceptor needs a certificate chain and a private key to serve " + entry.getProtocol()
                            + ", and none is configured",
                    "Set " + prefix + ".certificates and " + prefix + ".private-key (or " + prefix + ".bundle); "
                            + "for development only, 'certificates: self-signed'; for plaintext, an explicit "
                            + prefix + ".disable-security: true.", null);
        }
        if (target.isFiniteFieldDheEnabled() && !"RSA".equals(target.certificateChain().get(0).getPublicKey().getAlgorithm())) {
            throw new SecurenetConfigurationException(prefix + ".finite-field-dhe",
                    "the DHE suites finite-field-dhe offers (TLS_DHE_RSA_*) need an RSA key, and this acceptor's is "
                            + target.certificateChain().get(0).getPublicKey().getAlgorithm() + ", so they could never be chosen",
                    "Remove " + prefix + ".finite-field-dhe, or serve an RSA certificate and key.", null);
        }
    }

    /** @return the lifecycle that binds, serves and closes the TLS acceptor of {@code securenet.acceptors.<name>} */
    AcceptorLifecycle<?> tcpLifecycle(String name, TcpAcceptor acceptor) {
        String prefix = acceptorPrefix(name);
        Acceptor entry = acceptor(name);
        ConnectionHandler handler = entry.getHandler() == null ? null
                : beans.get(prefix + ".handler", entry.getHandler(), ConnectionHandler.class);
        int backlog = orDefault(entry.getBacklog(), TcpAcceptor.DEFAULT_BACKLOG);
        Duration readTimeout = orDefault(entry.getReadTimeout(), DEFAULT_READ_TIMEOUT);
        return listening(prefix, new AcceptorLifecycle<>(prefix, ServedAcceptor.tcp(acceptor, handler, backlog, readTimeout),
                entry, executor(name)));
    }

    private AcceptorLifecycle<?> listening(String prefix, AcceptorLifecycle<?> lifecycle) {
        EndpointState state = states.get(prefix);
        if (state != null) {
            state.listeningWhile(lifecycle::isRunning);
        }
        return lifecycle;
    }

    /** @return the lifecycle that binds, serves and closes the DTLS acceptor of {@code securenet.acceptors.<name>} */
    AcceptorLifecycle<?> udpLifecycle(String name, UdpAcceptor acceptor) {
        String prefix = acceptorPrefix(name);
        Acceptor entry = acceptor(name);
        DatagramHandler handler = entry.getHandler() == null ? null
                : beans.get(prefix + ".handler", entry.getHandler(), DatagramHandler.class);
        return listening(prefix, new AcceptorLifecycle<>(prefix, ServedAcceptor.udp(acceptor, handler), entry, executor(name)));
    }

    /** @return a thread per connection of the acceptor {@code name}: its own, never Boot's shared executor */
    private Executor executor(String name) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("securenet-" + name + "-");
        executor.setVirtualThreads(virtualThreads);
        return executor;
    }

    /** @return the socket factory of {@code securenet.sockets.<name>} (TLS) */
    TcpSocketFactory tcpSocketFactory(String name) {
        String prefix = socketPrefix(name);
        Socket entry = socket(name);
        requireProtocol(prefix, entry, Protocol.TLS);
        TcpSocketFactory factory = new TcpSocketFactory(name, entry.getHost(), entry.getPort(), orDefault(entry.getTcpNoDelay(), true),
                observer(name, false, entry), security.resolve(prefix, entry, target(entry)));
        followSocket(prefix, name, entry, factory::reconfigure);
        return factory;
    }

    /** Records the acceptor for health and info, and brings it rotated certificates. */
    private void followAcceptor(String name, Acceptor entry, Supplier<List<X509Certificate>> chain,
                                Supplier<InetSocketAddress> address, EndpointRotation.Target target) {
        String prefix = acceptorPrefix(name);
        EndpointState state = new EndpointState(prefix, name, true, protocolName(entry), chain, () -> bound(address));
        rotation.follow(prefix, entry, null, target, state);
        states.put(prefix, state);
    }

    /** Records the socket factory for health and info, and brings it rotated certificates. */
    private void followSocket(String prefix, String name, Socket entry, EndpointRotation.Target target) {
        EndpointState state = new EndpointState(prefix, name, false, protocolName(entry),
                () -> identities.resolve(prefix, entry).chain(),
                () -> Optional.of(InetSocketAddress.createUnresolved(entry.getHost(), entry.getPort())));
        rotation.follow(prefix, entry, target(entry), target, state);
        states.put(prefix, state);
    }

    /** @return the socket factory of {@code securenet.sockets.<name>} ({@code protocol: dtls}) */
    UdpSocketFactory udpSocketFactory(String name) {
        String prefix = socketPrefix(name);
        Socket entry = socket(name);
        requireProtocol(prefix, entry, Protocol.DTLS);
        Consumer<SecurityProperties> configuration = security.resolve(prefix, entry, target(entry));
        EndpointObserver observer = observer(name, false, entry);
        Consumer<UdpSocket> udp = socket -> socket.setMtu(orDefault(entry.getMtu(), UdpSocket.DEFAULT_MTU))
                .setRetransmissionTimeout(orDefault(entry.getRetransmissionTimeout(), UdpSocket.DEFAULT_RETRANSMISSION_TIMEOUT))
                .setObserver(observer);
        dtlsSettings(prefix, () -> {
            UdpSocket probe = UdpSocket.open(); // fail now on bad DTLS settings
            configuration.accept(probe.securityProperties());
            udp.accept(probe);
        });
        UdpSocketFactory factory = new UdpSocketFactory(name, entry.getHost(), entry.getPort(), udp, configuration);
        followSocket(prefix, name, entry, factory::reconfigure);
        return factory;
    }

    private Socket socket(String name) {
        return registered(socketPrefix(name), properties.getSockets().get(name));
    }

    private Acceptor acceptor(String name) {
        return registered(acceptorPrefix(name), properties.getAcceptors().get(name));
    }

    /**
     * With Spring AOT the beans were registered at build time: the entry must still be there at run
     * time (its protocol is checked by the caller's bean type).
     */
    private static <T extends Endpoint> T registered(String prefix, T entry) {
        if (entry == null) {
            throw new SecurenetConfigurationException(prefix, "the application was built (Spring AOT) with this entry, "
                    + "and it is no longer configured", "Configure " + prefix + " again, or rebuild the application.", null);
        }
        return entry;
    }

    /** With Spring AOT, the protocol an entry was built with must still be its protocol. */
    private static void requireProtocol(String prefix, Endpoint entry, Protocol built) {
        if (entry.getProtocol() != built) {
            throw new SecurenetConfigurationException(prefix + ".protocol", "the application was built (Spring AOT) with "
                    + "protocol " + built + " for this entry, and it is now " + entry.getProtocol(),
                    "Set " + prefix + ".protocol back to " + built.name().toLowerCase(Locale.ROOT)
                            + ", or rebuild the application.", null);
        }
    }

    private static String target(Socket entry) {
        return entry.getHost() + ":" + entry.getPort();
    }

    static String acceptorPrefix(String name) {
        return "securenet.acceptors." + name;
    }

    static String socketPrefix(String name) {
        return "securenet.sockets." + name;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** Applies DTLS settings, reporting a value the core refuses as a startup failure naming the entry. */
    private static void dtlsSettings(String prefix, Runnable settings) {
        try {
            settings.run();
        } catch (IllegalArgumentException e) {
            throw new SecurenetConfigurationException(prefix, e.getMessage(), "Fix the DTLS settings of " + prefix + ".", e);
        }
    }
}
