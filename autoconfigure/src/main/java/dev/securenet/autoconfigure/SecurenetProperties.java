package dev.securenet.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code securenet.*} configuration: named acceptors and named client sockets.
 *
 * <pre>
 * securenet:
 *   acceptors:
 *     hello:
 *       address: 127.0.0.1
 *       port: 50000
 *       certificates: file:/etc/hello/chain.pem
 *       private-key: file:/etc/hello/key.pem
 *       handler: helloHandler
 *   sockets:
 *     backend:
 *       host: backend.internal
 *       port: 8443
 * </pre>
 */
@ConfigurationProperties("securenet")
public class SecurenetProperties {

    /** Acceptors by name; each becomes a bean of that name, bound and listening once the context starts. */
    private final Map<String, Acceptor> acceptors = new LinkedHashMap<>();

    /** Client sockets by name; each becomes a TcpSocketFactory bean of that name. */
    private final Map<String, Socket> sockets = new LinkedHashMap<>();

    public Map<String, Acceptor> getAcceptors() {
        return acceptors;
    }

    public Map<String, Socket> getSockets() {
        return sockets;
    }

    /** The transport security of an endpoint. */
    public enum Protocol {
        /** TLS 1.3/1.2 over TCP. */
        TLS,
        /** DTLS 1.2 over UDP. */
        DTLS
    }

    /** What acceptors and sockets share. */
    public abstract static class Endpoint {

        /** Transport security protocol. */
        private Protocol protocol = Protocol.TLS;

        /** Own certificate chain, leaf first: inline PEM, 'classpath:...' or 'file:...' (or a plain file path). */
        private String certificates;

        /** Own private key in PEM: inline, 'classpath:...' or 'file:...' (or a plain file path). */
        private String privateKey;

        /** Password of an encrypted private key. */
        private String privateKeyPassword;

        /** Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) holding the key, chain and trusted certificates, instead of the PEM properties. */
        private String bundle;

        /** Extra trusted root certificates in PEM (inline, 'classpath:...' or 'file:...'). Sockets: added to the system roots. Acceptors: clients must present a certificate leading to one of these. */
        private String trustedCertificates;

        /** Name of a CertificateVerifier bean that replaces the default evaluation of the peer's certificates. On an acceptor it also makes clients present certificates. */
        private String verifier;

        /** Bound on the whole TLS handshake (and, for sockets, the TCP connect). */
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        /** Turns security off: the endpoint speaks plaintext. Logged as a warning at startup. */
        private boolean disableSecurity;

        /** DTLS: the largest datagram payload sent (and record accepted); peers must not use a larger MTU. */
        private int mtu = 1200;

        /** DTLS: the first handshake retransmission timer; it doubles on each expiry, up to 60s. */
        private Duration retransmissionTimeout = Duration.ofSeconds(1);

        public Protocol getProtocol() {
            return protocol;
        }

        public void setProtocol(Protocol protocol) {
            this.protocol = protocol;
        }

        public String getCertificates() {
            return certificates;
        }

        public void setCertificates(String certificates) {
            this.certificates = certificates;
        }

        public String getPrivateKey() {
            return privateKey;
        }

        public void setPrivateKey(String privateKey) {
            this.privateKey = privateKey;
        }

        public String getPrivateKeyPassword() {
            return privateKeyPassword;
        }

        public void setPrivateKeyPassword(String privateKeyPassword) {
            this.privateKeyPassword = privateKeyPassword;
        }

        public String getBundle() {
            return bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public String getTrustedCertificates() {
            return trustedCertificates;
        }

        public void setTrustedCertificates(String trustedCertificates) {
            this.trustedCertificates = trustedCertificates;
        }

        public String getVerifier() {
            return verifier;
        }

        public void setVerifier(String verifier) {
            this.verifier = verifier;
        }

        public Duration getHandshakeTimeout() {
            return handshakeTimeout;
        }

        public void setHandshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
        }

        public boolean isDisableSecurity() {
            return disableSecurity;
        }

        public void setDisableSecurity(boolean disableSecurity) {
            this.disableSecurity = disableSecurity;
        }

        public int getMtu() {
            return mtu;
        }

        public void setMtu(int mtu) {
            this.mtu = mtu;
        }

        public Duration getRetransmissionTimeout() {
            return retransmissionTimeout;
        }

        public void setRetransmissionTimeout(Duration retransmissionTimeout) {
            this.retransmissionTimeout = retransmissionTimeout;
        }
    }

    /** An acceptor: a server endpoint. */
    public static class Acceptor extends Endpoint {

        /** Local address to bind. */
        private String address = "0.0.0.0";

        /** Local port to bind; 0 picks a free one. */
        private int port;

        /** Connections that may be handshaking or waiting to be accepted. */
        private int backlog = 50;

        /** Name of a ConnectionHandler bean (TLS) or DatagramHandler bean (DTLS); with it the starter accepts connections and serves each on the application task executor. */
        private String handler;

        /** With a handler: connections (or DTLS peers) served at once; more wait, handshaken, in the backlog. */
        private int maxConnections = 8192;

        /** DTLS: associations at once (established or handshaking). */
        private int maxPeers = 1024;

        /** DTLS: handshakes at once; more clients wait for their own retransmission. */
        private int maxPendingHandshakes = 128;

        /** DTLS: a peer silent this long is dropped. */
        private Duration idleTimeout = Duration.ofMinutes(5);

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public int getBacklog() {
            return backlog;
        }

        public void setBacklog(int backlog) {
            this.backlog = backlog;
        }

        public String getHandler() {
            return handler;
        }

        public void setHandler(String handler) {
            this.handler = handler;
        }

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        public int getMaxPeers() {
            return maxPeers;
        }

        public void setMaxPeers(int maxPeers) {
            this.maxPeers = maxPeers;
        }

        public int getMaxPendingHandshakes() {
            return maxPendingHandshakes;
        }

        public void setMaxPendingHandshakes(int maxPendingHandshakes) {
            this.maxPendingHandshakes = maxPendingHandshakes;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }
    }

    /** A client socket: where to connect and how to verify it. */
    public static class Socket extends Endpoint {

        /** Host to connect to; it is also the name the server's certificate must carry. */
        private String host;

        /** Port to connect to. */
        private int port;

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }
    }
}
