package dev.securenet.autoconfigure;

import dev.securenet.SelfSignedIdentity;
import dev.securenet.autoconfigure.SecurenetProperties.Endpoint;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * Resolves each entry's identity and trust from the one source it names: a Spring Boot SSL
 * {@code bundle}, PEM {@code certificates} and {@code private-key}, or a development certificate
 * ({@code certificates: self-signed}); {@code trusted-certificates} adds to any of them. Each entry
 * is resolved once, so the endpoint and its registered SSL bundle hold the same material.
 */
class EndpointIdentities {

    private final PemIdentities pem;
    private final ObjectProvider<SslBundles> bundles;
    private final DevelopmentCertificates developmentCertificates;
    private final Map<String, EndpointIdentity> resolved = new ConcurrentHashMap<>();

    EndpointIdentities(PemIdentities pem, ObjectProvider<SslBundles> bundles, DevelopmentCertificates developmentCertificates) {
        this.pem = pem;
        this.bundles = bundles;
        this.developmentCertificates = developmentCertificates;
    }

    /**
     * @param prefix e.g. {@code securenet.acceptors.hello}
     * @return the entry's identity and trust
     * @throws SecurenetConfigurationException naming the property at fault
     */
    EndpointIdentity resolve(String prefix, Endpoint entry) {
        return resolved.computeIfAbsent(prefix, ignored -> load(prefix, entry));
    }

    /**
     * Reads the entry's material again (rotated files, an updated bundle); later {@link #resolve}
     * calls return it.
     *
     * @return the identity it replaced, for {@link #restore} if the new one is refused
     */
    EndpointIdentity reload(String prefix, Endpoint entry) {
        EndpointIdentity fresh = load(prefix, entry);
        return resolved.put(prefix, fresh);
    }

    /** Puts back the identity a refused {@link #reload} replaced. */
    void restore(String prefix, EndpointIdentity previous) {
        resolved.put(prefix, previous);
    }

    /** @return whether the entry's identity is its own PEM or development certificate (not a bundle's) */
    static boolean hasOwnIdentity(Endpoint entry) {
        return !entry.isDisableSecurity() && entry.getBundle() == null && entry.getCertificates() != null;
    }

    private EndpointIdentity load(String prefix, Endpoint entry) {
        EndpointIdentity identity = own(prefix, entry);
        if (entry.getTrustedCertificates() == null) {
            return identity;
        }
        return identity.trusting(pem.trusted(prefix + ".trusted-certificates", entry.getTrustedCertificates()));
    }

    private EndpointIdentity own(String prefix, Endpoint entry) {
        boolean pemGiven = entry.getCertificates() != null || entry.getPrivateKey() != null;
        if (entry.getBundle() != null) {
            if (pemGiven) {
                throw new SecurenetConfigurationException(prefix + ".bundle",
                        "both an SSL bundle and PEM certificates/private-key are configured",
                        "Use either " + prefix + ".bundle or " + prefix + ".certificates with " + prefix + ".private-key.", null);
            }
            return fromBundle(prefix + ".bundle", entry.getBundle());
        }
        if (DevelopmentCertificates.SELF_SIGNED.equals(entry.getCertificates())) {
            if (entry.getPrivateKey() != null) {
                throw new SecurenetConfigurationException(prefix + ".private-key",
                        "a private key is configured together with 'certificates: self-signed', which makes its own key",
                        "Remove " + prefix + ".private-key, or configure real certificates.", null);
            }
            SelfSignedIdentity generated = developmentCertificates.create(prefix);
            return new EndpointIdentity(generated.privateKey(), List.of(generated.certificate()), List.of());
        }
        if (!pemGiven) {
            return EndpointIdentity.NONE;
        }
        if (entry.getCertificates() == null || entry.getPrivateKey() == null) {
            boolean keyOnly = entry.getCertificates() == null;
            String missing = keyOnly ? "certificates" : "private-key";
            throw new SecurenetConfigurationException(prefix + "." + missing,
                    keyOnly ? "a private key is configured without its certificate chain"
                            : "a certificate chain is configured without its private key",
                    "Set " + prefix + "." + missing + " (inline PEM, classpath:..., file:... or a path).", null);
        }
        return pem.identity(prefix, entry);
    }

    private EndpointIdentity fromBundle(String property, String name) {
        SslBundles registry = bundles.getIfAvailable();
        SslBundle bundle;
        try {
            if (registry == null) {
                throw new NoSuchSslBundleException(name, "no SSL bundles are configured");
            }
            bundle = registry.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw new SecurenetConfigurationException(property, "there is no SSL bundle named '" + name + "'"
                    + (registry == null ? "" : " (known: " + registry.getBundleNames() + ")"),
                    "Define spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name + ", or fix the name.", e);
        }
        try {
            return read(bundle);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SecurenetConfigurationException(property, "cannot read the key of SSL bundle '" + name
                    + "': " + e.getMessage(), "Check the bundle's key alias and password.", e);
        }
    }

    private static EndpointIdentity read(SslBundle bundle) throws GeneralSecurityException {
        PrivateKey key = null;
        List<X509Certificate> chain = List.of();
        KeyStore keyStore = bundle.getStores().getKeyStore();
        if (keyStore != null) {
            String alias = bundle.getKey().getAlias() != null ? bundle.getKey().getAlias() : firstKeyAlias(keyStore);
            String password = bundle.getKey().getPassword() != null ? bundle.getKey().getPassword()
                    : bundle.getStores().getKeyStorePassword();
            Key found = alias == null ? null : keyStore.getKey(alias, password == null ? new char[0] : password.toCharArray());
            if (found instanceof PrivateKey privateKey) {
                key = privateKey;
                chain = x509(keyStore.getCertificateChain(alias));
            }
        }
        List<X509Certificate> trusted = new ArrayList<>();
        KeyStore trustStore = bundle.getStores().getTrustStore();
        if (trustStore != null) {
            for (String alias : Collections.list(trustStore.aliases())) {
                if (trustStore.getCertificate(alias) instanceof X509Certificate certificate) {
                    trusted.add(certificate);
                }
            }
        }
        return new EndpointIdentity(key, chain, trusted);
    }

    private static String firstKeyAlias(KeyStore keyStore) throws GeneralSecurityException {
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias)) {
                return alias;
            }
        }
        return null;
    }

    private static List<X509Certificate> x509(Certificate[] chain) {
        List<X509Certificate> result = new ArrayList<>();
        if (chain != null) {
            for (Certificate certificate : chain) {
                result.add((X509Certificate) certificate);
            }
        }
        return result;
    }
}
