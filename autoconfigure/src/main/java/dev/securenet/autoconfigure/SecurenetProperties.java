package dev.securenet.autoconfigure;

import dev.securenet.ClientAuthentication;
import dev.securenet.TlsProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>Settings that only one protocol has are {@code null} unless set, so that setting one for the
 * other protocol is refused at startup instead of being ignored.
 */
@ConfigurationProperties("securenet")
public class SecurenetProperties {

    /** Acceptors by name; each becomes a TcpAcceptor (or, with 'protocol: dtls', UdpAcceptor) bean of that name, bound and listening once the context starts. */
    private final Map<String, Acceptor> acceptors = new LinkedHashMap<>();

    /** Client sockets by name; each becomes a TcpSocketFactory (or, with 'protocol: dtls', UdpSocketFactory) bean of that name. */
    private final Map<String, Socket> sockets = new LinkedHashMap<>();

    /** Install the Amazon Corretto Crypto Provider (AWS-LC) as the JVM's most preferred security provider at startup, so that the JDK's TLS and DTLS handshakes run on its native primitives. JVM-wide: every library's java.security and javax.crypto use then gets it too (logged as a WARN). Needs software.amazon.cryptools:AmazonCorrettoCryptoProvider (classifier linux-x86_64 or linux-aarch_64) on the class path. Default false. */
    private boolean installCorrettoCryptoProvider;

    /** TLS provider of every TLS entry that sets no tls-provider of its own: 'jdk' or 'conscrypt'. It is also the system property securenet.tlsProvider (-Dsecurenet.tlsProvider=conscrypt), which the library reads outside Spring. Default: jdk. DTLS entries always use the JDK's. */
    private TlsProvider tlsProvider;

    /** @return the TLS provider of TLS entries that choose none, {@code null} if not set (the JDK's) */
    public TlsProvider getTlsProvider() {
        return tlsProvider;
    }

    /** @param tlsProvider the TLS provider of TLS entries that choose none */
    public void setTlsProvider(TlsProvider tlsProvider) {
        this.tlsProvider = tlsProvider;
    }

    /** @return whether the Amazon Corretto Crypto Provider is installed at startup */
    public boolean isInstallCorrettoCryptoProvider() {
        return installCorrettoCryptoProvider;
    }

    /** @param installCorrettoCryptoProvider whether the Amazon Corretto Crypto Provider is installed at startup */
    public void setInstallCorrettoCryptoProvider(boolean installCorrettoCryptoProvider) {
        this.installCorrettoCryptoProvider = installCorrettoCryptoProvider;
    }

    /** @return the acceptors by name */
    public Map<String, Acceptor> getAcceptors() {
        return acceptors;
    }

    /** @return the client sockets by name */
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

        /** Transport security: 'tls' (TLS 1.3/1.2 over TCP, the default) or 'dtls' (DTLS 1.2 over UDP). */
        private Protocol protocol = Protocol.TLS;

        /** Own certificate chain in PEM, leaf first: inline PEM, 'classpath:...', 'file:...' or a file path. On an acceptor, 'self-signed' makes a development certificate for localhost at startup (never for production). */
        private String certificates;

        /** Own private key in PEM (PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1): inline, 'classpath:...', 'file:...' or a file path. */
        private String privateKey;

        /** Password of an encrypted private key. */
        private String privateKeyPassword;

        /** Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) holding the key and chain (and trusted certificates), instead of 'certificates' and 'private-key'. */
        private String bundle;

        /** Extra trusted root certificates in PEM: inline, 'classpath:...', 'file:...' or a file path. Sockets: added to the system roots. Acceptors: clients must present a certificate leading to one of these. */
        private String trustedCertificates;

        /** Name of a CertificateVerifier bean that replaces the default evaluation of the peer's certificates (trusted roots, hostname): it alone decides. Cannot be combined with 'trusted-certificates' or 'certificate-check'. On an acceptor it judges client certificates when 'client-authentication' asks for them. */
        private String verifier;

        /** Name of a CertificateVerifier bean that runs after the default evaluation succeeded (chain to a trusted root and, for sockets, the host): it can only refuse more, e.g. to pin a key. */
        private String certificateCheck;

        /** Bound on the whole handshake (and, for sockets, the connect before it). Default 10s. */
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        /** Turns security off: the endpoint speaks plaintext. Logged as a warning at startup. */
        private boolean disableSecurity;

        /** Watch the files of 'certificates', 'private-key' and 'trusted-certificates' and use new ones without a restart, as Spring Boot's SSL bundles do: new handshakes get them (after a 2 s quiet period), established connections go on; files that are refused leave the previous ones in use (ERROR log, health degraded). Entries with a 'bundle' follow its updates instead (set reload-on-update on the bundle). */
        private boolean reloadOnUpdate;

        /** TLS 1.2 and DTLS 1.2: also offer finite-field DHE suites (TLS_DHE_RSA_*, after the ECDHE ones) for old peers without ECDHE. Off by default, as RFC 9325 advises; logged as a warning at startup. An acceptor needs an RSA key for them. */
        private boolean finiteFieldDhe;

        /** TLS only: the implementation of TLS, 'jdk' (the JDK's own) or 'conscrypt' (BoringSSL, much cheaper handshakes; needs org.conscrypt:conscrypt-openjdk-uber on the class path; RSA and EC keys only, no finite-field DHE). Unset: the JVM's default, the JDK's unless -Dsecurenet.tlsProvider says otherwise. DTLS endpoints always use the JDK's (the only DTLS). */
        private TlsProvider tlsProvider;

        /** TLS only: whether small writes go out at once (TCP_NODELAY), so handshake flights and small messages never wait for a delayed acknowledgement (about 40 ms on Linux). Default true. */
        private Boolean tcpNoDelay;

        /** DTLS only: the largest datagram payload sent (and record accepted); peers must not use a larger MTU. Default 1200. */
        private Integer mtu;

        /** DTLS only: the first handshake retransmission timer; it doubles on each expiry, up to 60s. Default 1s. */
        private Duration retransmissionTimeout;

        /** @return the protocol */
        public Protocol getProtocol() {
            return protocol;
        }

        /** @param protocol the protocol */
        public void setProtocol(Protocol protocol) {
            this.protocol = protocol;
        }

        /** @return the certificate chain (PEM or location), or 'self-signed' */
        public String getCertificates() {
            return certificates;
        }

        /** @param certificates the certificate chain (PEM or location), or 'self-signed' */
        public void setCertificates(String certificates) {
            this.certificates = certificates;
        }

        /** @return the private key (PEM or location) */
        public String getPrivateKey() {
            return privateKey;
        }

        /** @param privateKey the private key (PEM or location) */
        public void setPrivateKey(String privateKey) {
            this.privateKey = privateKey;
        }

        /** @return the password of an encrypted private key */
        public String getPrivateKeyPassword() {
            return privateKeyPassword;
        }

        /** @param privateKeyPassword the password of an encrypted private key */
        public void setPrivateKeyPassword(String privateKeyPassword) {
            this.privateKeyPassword = privateKeyPassword;
        }

        /** @return the SSL bundle's name */
        public String getBundle() {
            return bundle;
        }

        /** @param bundle the SSL bundle's name */
        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        /** @return the extra trusted certificates (PEM or location) */
        public String getTrustedCertificates() {
            return trustedCertificates;
        }

        /** @param trustedCertificates the extra trusted certificates (PEM or location) */
        public void setTrustedCertificates(String trustedCertificates) {
            this.trustedCertificates = trustedCertificates;
        }

        /** @return the verifier bean's name */
        public String getVerifier() {
            return verifier;
        }

        /** @param verifier the verifier bean's name */
        public void setVerifier(String verifier) {
            this.verifier = verifier;
        }

        /** @return the certificate check bean's name */
        public String getCertificateCheck() {
            return certificateCheck;
        }

        /** @param certificateCheck the certificate check bean's name */
        public void setCertificateCheck(String certificateCheck) {
            this.certificateCheck = certificateCheck;
        }

        /** @return the handshake timeout */
        public Duration getHandshakeTimeout() {
            return handshakeTimeout;
        }

        /** @param handshakeTimeout the handshake timeout */
        public void setHandshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
        }

        /** @return whether security is turned off */
        public boolean isDisableSecurity() {
            return disableSecurity;
        }

        /** @param disableSecurity whether security is turned off */
        public void setDisableSecurity(boolean disableSecurity) {
            this.disableSecurity = disableSecurity;
        }

        /** @return whether the certificate files are watched and reloaded */
        public boolean isReloadOnUpdate() {
            return reloadOnUpdate;
        }

        /** @param reloadOnUpdate whether the certificate files are watched and reloaded */
        public void setReloadOnUpdate(boolean reloadOnUpdate) {
            this.reloadOnUpdate = reloadOnUpdate;
        }

        /** @return whether finite-field DHE suites are offered too */
        public boolean isFiniteFieldDhe() {
            return finiteFieldDhe;
        }

        /** @param finiteFieldDhe whether finite-field DHE suites are offered too */
        public void setFiniteFieldDhe(boolean finiteFieldDhe) {
            this.finiteFieldDhe = finiteFieldDhe;
        }

        /** @return the implementation of TLS, or {@code null} if not set */
        public TlsProvider getTlsProvider() {
            return tlsProvider;
        }

        /** @param tlsProvider the implementation of TLS */
        public void setTlsProvider(TlsProvider tlsProvider) {
            this.tlsProvider = tlsProvider;
        }

        /** @return whether small writes go out at once, or {@code null} if not set */
        public Boolean getTcpNoDelay() {
            return tcpNoDelay;
        }

        /** @param tcpNoDelay whether small writes go out at once (TCP_NODELAY) */
        public void setTcpNoDelay(Boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
        }

        /** @return the kebab-case names of the security settings that are set, which plaintext would ignore */
        List<String> securitySettings() {
            List<String> set = new ArrayList<>();
            addIfSet(set, "certificates", certificates);
            addIfSet(set, "private-key", privateKey);
            addIfSet(set, "private-key-password", privateKeyPassword);
            addIfSet(set, "bundle", bundle);
            addIfSet(set, "trusted-certificates", trustedCertificates);
            addIfSet(set, "verifier", verifier);
            addIfSet(set, "certificate-check", certificateCheck);
            if (finiteFieldDhe) {
                set.add("finite-field-dhe");
            }
            if (tlsProvider != null) {
                set.add("tls-provider");
            }
            if (reloadOnUpdate) {
                set.add("reload-on-update");
            }
            return set;
        }

        /** @return the DTLS MTU, or {@code null} if not set */
        public Integer getMtu() {
            return mtu;
        }

        /** @param mtu the DTLS MTU */
        public void setMtu(Integer mtu) {
            this.mtu = mtu;
        }

        /** @return the DTLS retransmission timeout, or {@code null} if not set */
        public Duration getRetransmissionTimeout() {
            return retransmissionTimeout;
        }

        /** @param retransmissionTimeout the DTLS retransmission timeout */
        public void setRetransmissionTimeout(Duration retransmissionTimeout) {
            this.retransmissionTimeout = retransmissionTimeout;
        }

        /** @return the kebab-case names of the DTLS-only settings that are set */
        List<String> dtlsOnlySettings() {
            List<String> set = new ArrayList<>();
            addIfSet(set, "mtu", mtu);
            addIfSet(set, "retransmission-timeout", retransmissionTimeout);
            return set;
        }

        /** @return the kebab-case names of the TLS-only settings that are set */
        List<String> tlsOnlySettings() {
            List<String> set = new ArrayList<>();
            addIfSet(set, "tcp-no-delay", tcpNoDelay);
            addIfSet(set, "tls-provider", tlsProvider); // DTLS is the JDK's alone
            return set;
        }

        static void addIfSet(List<String> names, String name, Object value) {
            if (value != null) {
                names.add(name);
            }
        }
    }

    /** An acceptor: a server endpoint. */
    public static class Acceptor extends Endpoint {

        /** Local address to bind. Default 0.0.0.0 (every address). */
        private String address = "0.0.0.0";

        /** Local port to bind; 0 picks a free one. */
        private int port;

        /** TLS only: connections that may be handshaking or waiting to be accepted. Default 50. */
        private Integer backlog;

        /** Whether clients are asked for certificates: 'none' (the default), 'optional' or 'required'. Anything but 'none' needs 'trusted-certificates' or a 'verifier' to judge them with; those are refused with 'none'. */
        private ClientAuthentication clientAuthentication = ClientAuthentication.NONE;

        /** TLS only, with a handler: how long a served connection may be silent before a read fails (the handler may set another). Default 30s. */
        private Duration readTimeout;

        /** Name of a ConnectionHandler bean (TLS) or DatagramHandler bean (DTLS); with it the starter accepts connections and serves each on the application task executor. */
        private String handler;

        /** With a handler: connections (or DTLS peers) served at once; more wait, handshaken, in the backlog. Default 8192. */
        private int maxConnections = 8192;

        /** DTLS only: associations at once (established or handshaking). Default 1024. */
        private Integer maxPeers;

        /** Handshakes in progress at once. TLS: past it, new connections are reset (default 256). DTLS: more clients wait for their own retransmission (default 128). */
        private Integer maxPendingHandshakes;

        /** Handshakes in progress at once from one source address, so one address cannot take them all. Default 32. */
        private Integer maxPendingHandshakesPerAddress;

        /** TLS only: of the 'backlog', how many connections of one source address may wait to be accepted. Default 16. */
        private Integer backlogPerAddress;

        /** DTLS only: a peer silent this long is dropped. Default 5m. */
        private Duration idleTimeout;

        /** @return the local address */
        public String getAddress() {
            return address;
        }

        /** @param address the local address */
        public void setAddress(String address) {
            this.address = address;
        }

        /** @return the local port */
        public int getPort() {
            return port;
        }

        /** @param port the local port */
        public void setPort(int port) {
            this.port = port;
        }

        /** @return the TLS backlog, or {@code null} if not set */
        public Integer getBacklog() {
            return backlog;
        }

        /** @param backlog the TLS backlog */
        public void setBacklog(Integer backlog) {
            this.backlog = backlog;
        }

        /** @return whether clients are asked for certificates */
        public ClientAuthentication getClientAuthentication() {
            return clientAuthentication;
        }

        /** @param clientAuthentication whether clients are asked for certificates */
        public void setClientAuthentication(ClientAuthentication clientAuthentication) {
            this.clientAuthentication = clientAuthentication;
        }

        /** @return the TLS read timeout of served connections, or {@code null} if not set */
        public Duration getReadTimeout() {
            return readTimeout;
        }

        /** @param readTimeout the TLS read timeout of served connections */
        public void setReadTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
        }

        /** @return the handler bean's name */
        public String getHandler() {
            return handler;
        }

        /** @param handler the handler bean's name */
        public void setHandler(String handler) {
            this.handler = handler;
        }

        /** @return how many connections are served at once */
        public int getMaxConnections() {
            return maxConnections;
        }

        /** @param maxConnections how many connections are served at once */
        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        /** @return the DTLS peer bound, or {@code null} if not set */
        public Integer getMaxPeers() {
            return maxPeers;
        }

        /** @param maxPeers the DTLS peer bound */
        public void setMaxPeers(Integer maxPeers) {
            this.maxPeers = maxPeers;
        }

        /** @return the pending-handshake bound, or {@code null} if not set */
        public Integer getMaxPendingHandshakes() {
            return maxPendingHandshakes;
        }

        /** @param maxPendingHandshakes the pending-handshake bound */
        public void setMaxPendingHandshakes(Integer maxPendingHandshakes) {
            this.maxPendingHandshakes = maxPendingHandshakes;
        }

        /** @return the per-address pending-handshake bound, or {@code null} if not set */
        public Integer getMaxPendingHandshakesPerAddress() {
            return maxPendingHandshakesPerAddress;
        }

        /** @param maxPendingHandshakesPerAddress the per-address pending-handshake bound */
        public void setMaxPendingHandshakesPerAddress(Integer maxPendingHandshakesPerAddress) {
            this.maxPendingHandshakesPerAddress = maxPendingHandshakesPerAddress;
        }

        /** @return the TLS per-address backlog, or {@code null} if not set */
        public Integer getBacklogPerAddress() {
            return backlogPerAddress;
        }

        /** @param backlogPerAddress the TLS per-address backlog */
        public void setBacklogPerAddress(Integer backlogPerAddress) {
            this.backlogPerAddress = backlogPerAddress;
        }

        /** @return the DTLS idle timeout, or {@code null} if not set */
        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        /** @param idleTimeout the DTLS idle timeout */
        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        @Override
        List<String> dtlsOnlySettings() {
            List<String> set = super.dtlsOnlySettings();
            addIfSet(set, "max-peers", maxPeers);
            addIfSet(set, "idle-timeout", idleTimeout);
            return set;
        }

        @Override
        List<String> tlsOnlySettings() {
            List<String> set = super.tlsOnlySettings();
            addIfSet(set, "backlog", backlog);
            addIfSet(set, "backlog-per-address", backlogPerAddress);
            addIfSet(set, "read-timeout", readTimeout);
            return set;
        }
    }

    /** A client socket: where to connect and how to verify it. */
    public static class Socket extends Endpoint {

        /** Host to connect to; it is also the name the server's certificate must carry. */
        private String host;

        /** Port to connect to. */
        private int port;

        /** @return the host */
        public String getHost() {
            return host;
        }

        /** @param host the host */
        public void setHost(String host) {
            this.host = host;
        }

        /** @return the port */
        public int getPort() {
            return port;
        }

        /** @param port the port */
        public void setPort(int port) {
            this.port = port;
        }
    }
}
