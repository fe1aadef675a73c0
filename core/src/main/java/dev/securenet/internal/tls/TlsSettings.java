package dev.securenet.internal.tls;

import dev.securenet.CertificateVerifier;
import dev.securenet.ClientAuthentication;
import dev.securenet.TlsProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * An immutable snapshot of an endpoint's security properties, taken when it connects or listens.
 *
 * @param privateKey         this endpoint's key, or {@code null}
 * @param certificates       this endpoint's chain, leaf first; empty if none
 * @param verifier           the custom verifier that replaces the default evaluation, or {@code null}
 * @param check              a check that runs after the default evaluation succeeded, or {@code null}
 * @param trustedCertificates extra trust anchors (clients: added to the system roots; servers: the
 *                           roots client certificates must lead to)
 * @param clientAuthentication servers: whether clients are asked for certificates
 * @param handshakeTimeout   the bound on one handshake
 * @param finiteFieldDhe     whether TLS 1.2 and DTLS 1.2 also offer finite-field DHE suites
 * @param provider           the implementation of TLS the endpoint chose, or {@code null} for the default
 */
public record TlsSettings(PrivateKey privateKey, List<X509Certificate> certificates, CertificateVerifier verifier,
                          CertificateVerifier check, List<X509Certificate> trustedCertificates,
                          ClientAuthentication clientAuthentication, Duration handshakeTimeout,
                          boolean finiteFieldDhe, TlsProvider provider) {

    /** Copies the lists. */
    public TlsSettings {
        certificates = List.copyOf(certificates);
        trustedCertificates = List.copyOf(trustedCertificates);
    }

    /**
     * @return these settings for a TCP endpoint: with the JVM's default provider if the endpoint
     *         chose none, read now, so that engines cached by settings follow the default's changes
     * @throws IllegalArgumentException if the default is named wrongly
     */
    public TlsSettings forTls() {
        return provider != null ? this : new TlsSettings(privateKey, certificates, verifier, check, trustedCertificates,
                clientAuthentication, handshakeTimeout, finiteFieldDhe, TlsProvider.fromSystemProperty());
    }

    /** @return whether this endpoint has its own identity to present */
    public boolean hasIdentity() {
        return privateKey != null && !certificates.isEmpty();
    }
}
