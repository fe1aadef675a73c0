package dev.securenet;

import dev.securenet.internal.pem.KeyMatch;
import dev.securenet.internal.tls.ClientEngines;
import dev.securenet.internal.pem.PemReader;
import dev.securenet.internal.tls.IdentityWarnings;
import dev.securenet.internal.tls.JsseTlsEngine;
import dev.securenet.internal.tls.TlsEngine;
import dev.securenet.internal.tls.TlsSettings;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The security of one socket or acceptor: P1861R0's {@code security_properties}. Every endpoint has
 * one, and it starts secure: TLS, the system's trusted roots, hostname verification.
 *
 * <pre>{@code
 * TcpSocket socket = TcpSocket.open();
 * socket.securityProperties().setHost("www.example.com");
 * socket.connect("93.184.215.14", 443);          // verified as www.example.com
 *
 * TcpAcceptor acceptor = TcpAcceptor.open();
 * acceptor.securityProperties()
 *         .useCertificates(List.of(chainPem))     // leaf first
 *         .usePrivateKey(keyPem);
 * }</pre>
 *
 * <p>Keys and certificates are parsed when given, so bad material fails here with a
 * {@link KeyMaterialException}, never later in a handshake. Settings apply to connections made after
 * they are set (for an acceptor: set them before {@code listen()}). Methods are thread-safe.
 */
public final class SecurityProperties {

    /** How long a handshake may take unless {@link #setHandshakeTimeout(Duration)} says otherwise. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private boolean securityDisabled;
    private String securityRequiredBecause;
    private String host;
    private PrivateKey privateKey;
    private List<X509Certificate> certificates = List.of();
    private CertificateVerifier verifier;
    private CertificateVerifier check;
    private List<X509Certificate> trustedCertificates = List.of();
    private ClientAuthentication clientAuthentication = ClientAuthentication.NONE;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private boolean finiteFieldDhe;
    /** Null until chosen: TCP endpoints then use the JVM's default, UDP endpoints the JDK's (the only DTLS). */
    private TlsProvider tlsProvider;

    /** Engines are costly (contexts, trust stores) and hold the session cache: built once per configuration. */
    private TlsEngine clientEngine;
    private TlsEngine serverEngine;

    SecurityProperties() {
    }

    /**
     * Turns security off: the endpoint speaks plaintext. This is the only way to plaintext, and it
     * is logged as a warning when the endpoint connects or listens.
     *
     * @return this
     */
    public synchronized SecurityProperties disableSecurity() {
        if (securityRequiredBecause != null) {
            throw new IllegalStateException("Security cannot be disabled on this endpoint: " + securityRequiredBecause);
        }
        securityDisabled = true;
        return changed();
    }

    /**
     * Forbids {@link #disableSecurity()} from now on, for endpoints handed to code that must not be
     * able to downgrade them (the Spring Boot starter does this unless the configuration opted out).
     *
     * @param because why, for the exception a later {@code disableSecurity()} throws
     * @return this
     * @throws IllegalStateException if security is already disabled
     */
    public synchronized SecurityProperties requireSecurity(String because) {
        Objects.requireNonNull(because, "because");
        if (securityDisabled) {
            throw new IllegalStateException("Security is already disabled on this endpoint");
        }
        securityRequiredBecause = because;
        return this;
    }

    /** @return whether {@link #disableSecurity()} was called */
    public synchronized boolean isSecurityDisabled() {
        return securityDisabled;
    }

    /**
     * Sets the host name the server must prove (and that is sent with SNI). Without it, a client
     * verifies the host it was asked to connect to; when that is an IP address, the certificate
     * must name that address.
     *
     * @param host a DNS name or an IP address literal
     * @return this
     */
    public synchronized SecurityProperties setHost(String host) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        this.host = host.strip();
        return this; // the engines do not depend on the host: resumption is keyed by it
    }

    /** @return the host set with {@link #setHost(String)}, if any */
    public synchronized Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /**
     * Uses this private key, in PEM (RFC 7468): PKCS#8 {@code PRIVATE KEY}, PKCS#1
     * {@code RSA PRIVATE KEY} or SEC1 {@code EC PRIVATE KEY}; RSA, EC and Ed25519 keys.
     *
     * @param pem the key
     * @return this
     * @throws KeyMaterialException if the PEM holds no usable key, the key is encrypted, or it does
     *                              not belong to the leaf certificate already given
     */
    public SecurityProperties usePrivateKey(String pem) {
        return usePrivateKey(pem, null);
    }

    /**
     * Uses this private key, decrypting it with the password: encrypted PKCS#8
     * ({@code ENCRYPTED PRIVATE KEY}) or legacy OpenSSL encryption ({@code Proc-Type: 4,ENCRYPTED}).
     *
     * @param pem      the key
     * @param password the password, or {@code null} for an unencrypted key
     * @return this
     * @throws KeyMaterialException if the key cannot be read or decrypted, or does not belong to the
     *                              leaf certificate already given
     */
    public SecurityProperties usePrivateKey(String pem, char[] password) {
        return usePrivateKey(PemReader.privateKey(pem, password));
    }

    /**
     * Uses a private key that is already loaded (for example from a key store).
     *
     * @param key the key
     * @return this
     * @throws KeyMaterialException if it does not belong to the leaf certificate already given
     */
    public SecurityProperties usePrivateKey(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        synchronized (this) {
            if (!certificates.isEmpty()) {
                KeyMatch.requireMatch(key, certificates.get(0));
            }
            privateKey = key;
            return changed();
        }
    }

    /**
     * Uses a certificate chain that is already parsed, leaf first.
     *
     * @param chain the chain, leaf first
     * @return this
     * @throws KeyMaterialException if the chain is empty or the leaf does not belong to the private
     *                              key already given
     */
    public SecurityProperties useCertificateChain(List<X509Certificate> chain) {
        Objects.requireNonNull(chain, "chain");
        if (chain.isEmpty()) {
            throw new KeyMaterialException("The certificate chain is empty: give at least the leaf certificate.", null);
        }
        List<X509Certificate> copy = List.copyOf(chain);
        synchronized (this) {
            if (privateKey != null) {
                KeyMatch.requireMatch(privateKey, copy.get(0));
            }
            certificates = copy;
            return changed();
        }
    }

    /** @return this endpoint's own certificate chain, leaf first; empty if none was given */
    public synchronized List<X509Certificate> certificateChain() {
        return certificates;
    }

    /**
     * Uses this certificate chain, leaf first, as the paper's {@code use_certificates}. Each element
     * is PEM text holding one or more {@code CERTIFICATE} blocks; a single element may hold the
     * whole chain.
     *
     * @param chain the chain, leaf first
     * @return this
     * @throws KeyMaterialException if an element is not valid PEM or holds no certificate, or the
     *                              leaf does not belong to the private key already given
     */
    public SecurityProperties useCertificates(List<String> chain) {
        Objects.requireNonNull(chain, "chain");
        List<X509Certificate> parsed = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            parsed.addAll(PemReader.certificates(chain.get(i), "certificate chain element " + i));
        }
        return useCertificateChain(parsed);
    }

    /**
     * Uses this certificate chain given as DER encodings, leaf first (the form the paper's server
     * example passes).
     *
     * @param chain the DER encodings, leaf first
     * @return this
     * @throws KeyMaterialException if an element is not a DER certificate, or the leaf does not belong
     *                              to the private key already given
     */
    public SecurityProperties useCertificatesDer(List<byte[]> chain) {
        Objects.requireNonNull(chain, "chain");
        List<X509Certificate> parsed = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            parsed.add(PemReader.certificate(chain.get(i), "certificate chain element " + i));
        }
        return useCertificateChain(parsed);
    }

    /**
     * Replaces the default evaluation of the peer's chain (trusted roots, hostname) with this
     * verifier: the paper's {@code use_certificate_verifier}. Use with care: the verifier is the whole
     * trust decision. To add a check on top of the default evaluation (pinning, say), use
     * {@link #useCertificateCheck(CertificateVerifier)} instead. On an acceptor the verifier judges
     * client certificates when {@link #setClientAuthentication(ClientAuthentication)} asks for them.
     *
     * @param verifier decides whether the peer's chain is acceptable; throwing counts as no
     * @return this
     * @throws IllegalStateException if trusted certificates or a certificate check are configured:
     *                               a verifier that replaces the evaluation would silently drop them
     */
    public synchronized SecurityProperties useCertificateVerifier(CertificateVerifier verifier) {
        Objects.requireNonNull(verifier, "verifier");
        if (!trustedCertificates.isEmpty() || check != null) {
            throw new IllegalStateException("A certificate verifier replaces the default evaluation, so the "
                    + (check != null ? "certificate check" : "trusted certificates") + " already configured would never be used."
                    + " Either trust certificates (useTrustedCertificates) and add checks on top of the default evaluation"
                    + " (useCertificateCheck), or let a verifier decide alone (useCertificateVerifier).");
        }
        this.verifier = verifier;
        return changed();
    }

    /**
     * Adds a check that runs after the default evaluation succeeded: the chain led to a trusted root
     * and, for clients, the certificate is valid for the host. It can only refuse more (pin a key or
     * an issuer, say, like OkHttp's {@code CertificatePinner}); it never makes an untrusted peer
     * acceptable.
     *
     * @param check decides whether an otherwise valid chain is acceptable; throwing counts as no
     * @return this
     * @throws IllegalStateException if a certificate verifier replaces the default evaluation
     */
    public synchronized SecurityProperties useCertificateCheck(CertificateVerifier check) {
        Objects.requireNonNull(check, "check");
        if (verifier != null) {
            throw new IllegalStateException("A certificate verifier already replaces the default evaluation, so a check"
                    + " that runs after it would never run: put the check into the verifier, or use trusted"
                    + " certificates with checks instead of a verifier.");
        }
        this.check = check;
        return changed();
    }

    /**
     * Trusts these certificates as roots, in PEM, without writing a verifier. For a client they are
     * added to the system's trusted roots (hostname verification stays on). For an acceptor they are
     * the roots client certificates must lead to (and only these: the public roots are no proof of who
     * a client is), when {@link #setClientAuthentication(ClientAuthentication)} asks for them.
     *
     * @param pem one or more {@code CERTIFICATE} blocks
     * @return this
     * @throws KeyMaterialException  if the PEM holds no certificate
     * @throws IllegalStateException if a certificate verifier replaces the default evaluation
     */
    public SecurityProperties useTrustedCertificates(String pem) {
        return useTrustedCertificates(PemReader.certificates(pem, "trusted certificates"));
    }

    /**
     * Trusts these already parsed certificates as roots; see {@link #useTrustedCertificates(String)}.
     *
     * @param anchors the root certificates
     * @return this
     * @throws IllegalStateException if a certificate verifier replaces the default evaluation
     */
    public SecurityProperties useTrustedCertificates(java.util.Collection<X509Certificate> anchors) {
        Objects.requireNonNull(anchors, "anchors");
        synchronized (this) {
            if (verifier != null) {
                throw new IllegalStateException("A certificate verifier replaces the default evaluation, so trusted"
                        + " certificates would never be used: either trust certificates (with useCertificateCheck for"
                        + " more checks), or let the verifier decide alone.");
            }
            List<X509Certificate> all = new ArrayList<>(trustedCertificates);
            all.addAll(anchors);
            trustedCertificates = List.copyOf(all);
            return changed();
        }
    }

    /**
     * Acceptors: whether clients are asked for certificates. {@link ClientAuthentication#NONE} unless
     * set; anything else needs trusted certificates or a verifier to judge the certificates with.
     *
     * @param clientAuthentication the policy
     * @return this
     */
    public synchronized SecurityProperties setClientAuthentication(ClientAuthentication clientAuthentication) {
        this.clientAuthentication = Objects.requireNonNull(clientAuthentication, "clientAuthentication");
        return changed();
    }

    /** @return whether an acceptor asks clients for certificates */
    public synchronized ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }

    /**
     * Bounds the whole handshake (and, for clients, the TCP connect before it).
     *
     * @param timeout a positive duration; {@link #DEFAULT_HANDSHAKE_TIMEOUT} unless set
     * @return this
     */
    public synchronized SecurityProperties setHandshakeTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the handshake timeout must be positive, not " + timeout);
        }
        handshakeTimeout = timeout;
        return changed();
    }

    /** @return the handshake timeout */
    public synchronized Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * TLS 1.2 and DTLS 1.2: also offers finite-field Diffie-Hellman suites ({@code TLS_DHE_RSA_WITH_*}:
     * AES-GCM, ChaCha20-Poly1305), after the ECDHE ones, for old peers that have no ECDHE. Off unless
     * called, since RFC 9325 §4.5 advises against them: the group is the server's choice (clients
     * cannot tell a weak one) and the exchange is slow. TLS 1.3 is unaffected. An acceptor needs an
     * RSA key for these suites; with any other key this setting could never take effect, so
     * {@code listen()}/{@code bind()} refuses it.
     *
     * @return this
     */
    public synchronized SecurityProperties enableFiniteFieldDhe() {
        finiteFieldDhe = true;
        return changed();
    }

    /** @return whether finite-field DHE suites are offered for TLS 1.2 and DTLS 1.2 */
    public synchronized boolean isFiniteFieldDheEnabled() {
        return finiteFieldDhe;
    }

    /**
     * Chooses the implementation of TLS for this endpoint: {@link TlsProvider#CONSCRYPT} for
     * BoringSSL's speed. The trust decision, key material and errors stay the same. Unless chosen,
     * a TCP endpoint uses {@link TlsProvider#fromSystemProperty()} (the JDK's unless the JVM was
     * told otherwise) and a UDP endpoint the JDK's, the only one with DTLS. Conscrypt has no DTLS and
     * no finite-field DHE: a UDP endpoint that chooses it, or a TCP endpoint that uses it and
     * {@linkplain #enableFiniteFieldDhe() enables those suites}, refuses to connect or listen.
     *
     * @param provider the provider
     * @return this
     */
    public synchronized SecurityProperties useTlsProvider(TlsProvider provider) {
        tlsProvider = Objects.requireNonNull(provider, "provider");
        return changed();
    }

    /** @return the implementation of TLS chosen for this endpoint, if one was */
    public synchronized Optional<TlsProvider> tlsProvider() {
        return Optional.ofNullable(tlsProvider);
    }

    /**
     * @param current       an endpoint's properties now
     * @param configuration configures their replacement from scratch
     * @param endpoint      names the endpoint, for the refusal
     * @return the replacement, checked not to switch between secure and plaintext (which takes a new endpoint)
     */
    static SecurityProperties replacing(SecurityProperties current, Consumer<SecurityProperties> configuration, String endpoint) {
        Objects.requireNonNull(configuration, "configuration");
        SecurityProperties next = new SecurityProperties();
        configuration.accept(next);
        if (next.isSecurityDisabled() != current.isSecurityDisabled()) {
            throw new IllegalStateException("reconfigure cannot switch " + endpoint + " between "
                    + (current.isSecurityDisabled() ? "plaintext and security" : "security and plaintext")
                    + ": open a new one for that");
        }
        return next;
    }

    private SecurityProperties changed() {
        clientEngine = null;
        serverEngine = null;
        return this;
    }

    private TlsSettings settings() {
        return new TlsSettings(privateKey, certificates, verifier, check, trustedCertificates, clientAuthentication,
                handshakeTimeout, finiteFieldDhe, tlsProvider);
    }

    synchronized TlsEngine clientEngine(String endpoint) {
        if (clientEngine == null) {
            clientEngine = ClientEngines.forSettings(clientSettings(endpoint).forTls());
        }
        return clientEngine;
    }

    synchronized TlsEngine serverEngine(String endpoint) {
        if (serverEngine == null) {
            serverEngine = JsseTlsEngine.forServer(serverSettings(endpoint).forTls());
        }
        return serverEngine;
    }

    /** @return the settings of a client, checked: an identity is complete or absent */
    synchronized TlsSettings clientSettings(String endpoint) {
        if (clientAuthentication != ClientAuthentication.NONE) {
            throw new IllegalStateException(endpoint + " is a client, and client authentication (" + clientAuthentication
                    + ") is a setting of acceptors: a client presents its certificate when it has one"
                    + " (useCertificates and usePrivateKey).");
        }
        requireCompleteIdentityOrNone(endpoint);
        IdentityWarnings.check(certificates, endpoint);
        return settings();
    }

    /** @return the settings of a server, checked: it has an identity */
    synchronized TlsSettings serverSettings(String endpoint) {
        if (certificates.isEmpty() || privateKey == null) {
            throw new IllegalStateException(endpoint + " cannot serve securely without "
                    + (certificates.isEmpty() && privateKey == null ? "a certificate chain and a private key"
                    : certificates.isEmpty() ? "a certificate chain" : "a private key")
                    + ": call securityProperties().useCertificates(chain).usePrivateKey(key) first"
                    + " (plaintext needs an explicit securityProperties().disableSecurity()).");
        }
        requireConsistentClientAuthentication(endpoint);
        if (finiteFieldDhe && !"RSA".equals(privateKey.getAlgorithm())) {
            throw new IllegalStateException(endpoint + " enables finite-field DHE, but the DHE suites it would offer"
                    + " (TLS_DHE_RSA_*) need an RSA key and its key is " + privateKey.getAlgorithm()
                    + ", so they could never be chosen: remove enableFiniteFieldDhe(), or serve an RSA certificate.");
        }
        IdentityWarnings.check(certificates, endpoint);
        return settings();
    }

    /** Client authentication is never inferred from the trust settings, nor are they ever ignored. */
    private void requireConsistentClientAuthentication(String endpoint) {
        boolean judges = verifier != null || !trustedCertificates.isEmpty();
        if (clientAuthentication == ClientAuthentication.NONE && (judges || check != null)) {
            throw new IllegalStateException(endpoint + " has " + (verifier != null ? "a certificate verifier"
                    : !trustedCertificates.isEmpty() ? "trusted certificates" : "a certificate check")
                    + " to judge client certificates, but client authentication is NONE, so they would never be used:"
                    + " call setClientAuthentication(ClientAuthentication.REQUIRED) (or OPTIONAL), or remove them.");
        }
        if (clientAuthentication != ClientAuthentication.NONE && !judges) {
            throw new IllegalStateException(endpoint + " asks clients for certificates (" + clientAuthentication
                    + ") but has nothing to judge them with: give the roots client certificates must lead to"
                    + " (useTrustedCertificates) or a CertificateVerifier. The public roots prove nothing about who a client is.");
        }
    }

    private void requireCompleteIdentityOrNone(String endpoint) {
        if (certificates.isEmpty() != (privateKey == null)) {
            throw new IllegalStateException(endpoint + " has a client " + (privateKey == null
                    ? "certificate chain but no private key: call usePrivateKey(..)"
                    : "private key but no certificate chain: call useCertificates(..)"));
        }
    }

    @Override
    public synchronized String toString() {
        return "SecurityProperties[" + (securityDisabled ? "SECURITY DISABLED" : "TLS")
                + (host == null ? "" : ", host=" + host)
                + (certificates.isEmpty() ? "" : ", certificate=" + certificates.get(0).getSubjectX500Principal().getName())
                + (privateKey == null ? "" : ", privateKey=" + privateKey.getAlgorithm())
                + (verifier == null ? "" : ", customVerifier")
                + (check == null ? "" : ", certificateCheck")
                + (clientAuthentication == ClientAuthentication.NONE ? "" : ", clientAuthentication=" + clientAuthentication)
                + (trustedCertificates.isEmpty() ? "" : ", trustedCertificates=" + trustedCertificates.size())
                + (finiteFieldDhe ? ", finiteFieldDhe" : "")
                + (tlsProvider == null ? "" : ", tlsProvider=" + tlsProvider)
                + ", handshakeTimeout=" + handshakeTimeout + "]";
    }
}
