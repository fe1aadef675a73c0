package dev.securenet.autoconfigure;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Describes a certificate for health, info and logs: public facts only, never key material. */
final class EndpointCertificates {

    private EndpointCertificates() {
    }

    /** @return subject, issuer, validity end and SHA-256 fingerprint */
    static Map<String, Object> describe(X509Certificate certificate) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("subject", certificate.getSubjectX500Principal().getName());
        details.put("issuer", certificate.getIssuerX500Principal().getName());
        details.put("notAfter", certificate.getNotAfter().toInstant().toString());
        details.put("sha256", fingerprint(certificate));
        return details;
    }

    /** @return the subject and validity end, for a log line */
    static String summary(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + ", valid until " + certificate.getNotAfter().toInstant();
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
