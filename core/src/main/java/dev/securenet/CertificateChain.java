package dev.securenet;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable certificate chain as a peer presented it, leaf first, together with the host the
 * local endpoint expected to reach (clients only).
 *
 * <p>This is what a {@link CertificateVerifier} receives: the paper's {@code certificate_chain}, with
 * the certificates also available as parsed {@link X509Certificate}s, DER and PEM.
 */
public final class CertificateChain {

    private static final Base64.Encoder PEM_BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private final List<X509Certificate> certificates;
    private final String expectedHost;

    private CertificateChain(List<X509Certificate> certificates, String expectedHost) {
        this.certificates = List.copyOf(certificates);
        this.expectedHost = expectedHost;
    }

    /**
     * Creates a chain.
     *
     * @param certificates the certificates, leaf first; must not be empty
     * @param expectedHost the host the endpoint expected, or {@code null} where there is none (servers)
     * @return the chain
     */
    public static CertificateChain of(List<X509Certificate> certificates, String expectedHost) {
        Objects.requireNonNull(certificates, "certificates");
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
        return new CertificateChain(certificates, expectedHost);
    }

    /** @return the certificates, leaf first (unmodifiable) */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** @return the peer's own (end-entity) certificate */
    public X509Certificate leaf() {
        return certificates.get(0);
    }

    /** @return the host name or address the local endpoint expected the peer to prove, if any */
    public Optional<String> expectedHost() {
        return Optional.ofNullable(expectedHost);
    }

    /** @return each certificate's DER encoding, leaf first (fresh copies) */
    public List<byte[]> der() {
        List<byte[]> der = new ArrayList<>(certificates.size());
        for (X509Certificate certificate : certificates) {
            der.add(encoded(certificate));
        }
        return der;
    }

    /** @return each certificate as an RFC 7468 {@code CERTIFICATE} block, leaf first */
    public List<String> pem() {
        List<String> pem = new ArrayList<>(certificates.size());
        for (X509Certificate certificate : certificates) {
            pem.add("-----BEGIN CERTIFICATE-----\n"
                    + PEM_BASE64.encodeToString(encoded(certificate))
                    + "\n-----END CERTIFICATE-----\n");
        }
        return pem;
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            // a certificate that was parsed from DER can always be encoded again
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateChain that
                && certificates.equals(that.certificates)
                && Objects.equals(expectedHost, that.expectedHost);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificates, expectedHost);
    }

    @Override
    public String toString() {
        return "CertificateChain[leaf=" + leaf().getSubjectX500Principal().getName()
                + ", length=" + certificates.size()
                + (expectedHost == null ? "" : ", expectedHost=" + expectedHost) + "]";
    }
}
