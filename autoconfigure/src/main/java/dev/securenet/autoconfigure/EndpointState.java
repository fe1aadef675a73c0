package dev.securenet.autoconfigure;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What health and info report of one endpoint the starter made: which it is, whether it listens,
 * where, the certificate it presents now, and whether the last certificate rotation was refused.
 */
final class EndpointState {

    private final String prefix;
    private final String name;
    private final boolean acceptor;
    private final String protocol;
    private final Supplier<List<X509Certificate>> chain;
    private final Supplier<Optional<InetSocketAddress>> address;
    private volatile Supplier<Boolean> listening = () -> false;
    private volatile String rotationRefused;
    private volatile Instant rotatedAt;

    /**
     * @param chain   the certificate chain presented now (empty without one)
     * @param address the local address (acceptors, once bound) or the peer's (sockets)
     */
    EndpointState(String prefix, String name, boolean acceptor, String protocol, Supplier<List<X509Certificate>> chain,
                  Supplier<Optional<InetSocketAddress>> address) {
        this.prefix = prefix;
        this.name = name;
        this.acceptor = acceptor;
        this.protocol = protocol;
        this.chain = chain;
        this.address = address;
    }

    String prefix() {
        return prefix;
    }

    String name() {
        return name;
    }

    boolean isAcceptor() {
        return acceptor;
    }

    /** @return "tls", "dtls", or "tcp"/"udp" for plaintext */
    String protocol() {
        return protocol;
    }

    List<X509Certificate> chain() {
        return chain.get();
    }

    Optional<InetSocketAddress> address() {
        return address.get();
    }

    /** @return whether an acceptor is listening (sockets: always false) */
    boolean isListening() {
        return listening.get();
    }

    void listeningWhile(Supplier<Boolean> running) {
        listening = running;
    }

    /** A new certificate took effect. */
    void rotated() {
        rotationRefused = null;
        rotatedAt = Instant.now();
    }

    /** New certificate files were refused; the previous certificate stays in use. */
    void rotationRefused(String why) {
        rotationRefused = why;
    }

    /** @return why the last rotation was refused, while no good one followed it */
    Optional<String> rotationRefused() {
        return Optional.ofNullable(rotationRefused);
    }

    /** @return when a rotated certificate last took effect */
    Optional<Instant> rotatedAt() {
        return Optional.ofNullable(rotatedAt);
    }
}
