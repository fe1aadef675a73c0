package dev.securenet.internal.tls;

import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Warns about an endpoint's own certificate: we still present it (the program chose it, and the
 * paper's example does exactly this), but peers that verify will refuse it, so say so early.
 */
public final class IdentityWarnings {

    private static final System.Logger LOG = System.getLogger(IdentityWarnings.class.getName());

    /** How early an expiry is worth a warning: renewals are commonly due 30 days ahead. */
    private static final java.time.Duration SOON = java.time.Duration.ofDays(30);

    private IdentityWarnings() {
    }

    /**
     * @param chain    the endpoint's chain, leaf first
     * @param endpoint names the endpoint in the message
     */
    public static void check(List<X509Certificate> chain, String endpoint) {
        if (chain.isEmpty()) {
            return;
        }
        X509Certificate leaf = chain.get(0);
        String subject = leaf.getSubjectX500Principal().getName();
        Instant now = Instant.now();
        if (leaf.getNotAfter().toInstant().isBefore(now)) {
            LOG.log(Level.WARNING, "{0} presents certificate ''{1}'' which expired on {2}: clients that verify will refuse it",
                    endpoint, subject, leaf.getNotAfter().toInstant());
        } else if (leaf.getNotAfter().toInstant().isBefore(now.plus(SOON))) {
            LOG.log(Level.WARNING, "{0} presents certificate ''{1}'' which expires on {2}: renew it",
                    endpoint, subject, leaf.getNotAfter().toInstant());
        } else if (leaf.getNotBefore().toInstant().isAfter(now)) {
            LOG.log(Level.WARNING, "{0} presents certificate ''{1}'' which is not valid before {2}",
                    endpoint, subject, leaf.getNotBefore().toInstant());
        }
        if (leaf.getPublicKey() instanceof RSAKey rsa && rsa.getModulus().bitLength() < 2048) {
            LOG.log(Level.WARNING, "{0} presents certificate ''{1}'' with a weak {2,number,#}-bit RSA key (2048 bits or more expected)",
                    endpoint, subject, rsa.getModulus().bitLength());
        }
        String signature = leaf.getSigAlgName().toUpperCase(Locale.ROOT);
        if (signature.contains("SHA1") || signature.contains("MD5")) {
            LOG.log(Level.WARNING, "{0} presents certificate ''{1}'' signed with the weak algorithm {2}",
                    endpoint, subject, leaf.getSigAlgName());
        }
    }
}
