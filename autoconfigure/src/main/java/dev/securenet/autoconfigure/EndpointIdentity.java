package dev.securenet.autoconfigure;

import dev.securenet.SecurityProperties;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;

/**
 * What one {@code securenet.*} entry resolved to: its own key and chain (leaf first), if any, and
 * the certificates it trusts beyond the defaults.
 *
 * @param key     the private key, or {@code null} for an endpoint without an identity
 * @param chain   the certificate chain, leaf first; empty exactly when {@code key} is {@code null}
 * @param trusted extra trusted certificates; may be empty
 */
record EndpointIdentity(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted) {

    static final EndpointIdentity NONE = new EndpointIdentity(null, List.of(), List.of());

    EndpointIdentity {
        chain = List.copyOf(chain);
        trusted = List.copyOf(trusted);
    }

    /** @return this identity trusting {@code more} as well */
    EndpointIdentity trusting(List<X509Certificate> more) {
        List<X509Certificate> all = new ArrayList<>(trusted);
        all.addAll(more);
        return new EndpointIdentity(key, chain, all);
    }

    /** Applies the identity and trust to an endpoint's security properties. */
    void applyTo(SecurityProperties security) {
        if (key != null) {
            security.usePrivateKey(key).useCertificateChain(chain);
        }
        if (!trusted.isEmpty()) {
            security.useTrustedCertificates(trusted);
        }
    }

    /**
     * @param alias the key entry's alias
     * @return the identity as a Spring Boot SSL bundle (key stores made by Boot's PEM store bundle)
     */
    SslBundle toSslBundle(String alias) {
        PemSslStore keyStore = key == null ? null : PemSslStore.of(chain, key).withAlias(alias);
        PemSslStore trustStore = trusted.isEmpty() ? null : PemSslStore.of(trusted, null);
        return SslBundle.of(new PemSslStoreBundle(keyStore, trustStore), SslBundleKey.of(null, alias));
    }
}
