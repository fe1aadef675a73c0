package dev.securenet.internal.tls;

import dev.securenet.CertificateVerifier;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * An immutable snapshot of an endpoint's security properties, taken when it connects or listens.
 *
 * @param privateKey         this endpoint's key, or {@code null}
 * @param certificates       this endpoint's chain, leaf first; empty if none
 * @param verifier           the custom verifier, or {@code null} for the default evaluation
 * @param trustedCertificates extra trust anchors (clients: added to the system roots; servers: the
 *                           roots client certificates must lead to)
 * @param handshakeTimeout   the bound on one handshake
 */
public record TlsSettings(PrivateKey privateKey, List<X509Certificate> certificates, CertificateVerifier verifier,
                          List<X509Certificate> trustedCertificates, Duration handshakeTimeout) {

    /** Copies the lists. */
    public TlsSettings {
        certificates = List.copyOf(certificates);
        trustedCertificates = List.copyOf(trustedCertificates);
    }

    /** @return whether this endpoint has its own identity to present */
    public boolean hasIdentity() {
        return privateKey != null && !certificates.isEmpty();
    }
}
