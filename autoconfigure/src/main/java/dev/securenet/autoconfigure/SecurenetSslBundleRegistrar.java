package dev.securenet.autoconfigure;

import dev.securenet.autoconfigure.SecurenetProperties.Endpoint;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * Registers each endpoint's own PEM identity as an SSL bundle named
 * {@code securenet-acceptor-<name>} or {@code securenet-socket-<name>}, so that Spring Boot's
 * {@code ssl} health indicator, info contributor and {@code ssl.chain.expiry} metric cover it.
 * Entries that use a {@code bundle} are bundles already.
 */
class SecurenetSslBundleRegistrar implements SslBundleRegistrar {

    private static final char[] NO_PASSWORD = new char[0];

    private final SecurenetEndpoints endpoints;

    SecurenetSslBundleRegistrar(SecurenetEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void registerBundles(SslBundleRegistry registry) {
        register(registry, "acceptor", endpoints.properties().getAcceptors());
        register(registry, "socket", endpoints.properties().getSockets());
    }

    private void register(SslBundleRegistry registry, String kind, Map<String, ? extends Endpoint> entries) {
        entries.forEach((name, entry) -> {
            if (entry.isDisableSecurity() || entry.getBundle() != null) {
                return;
            }
            EndpointConfigurer.Identity identity = endpoints.identity("securenet." + kind + "s." + name, entry);
            if (identity.key() == null) {
                return;
            }
            registry.registerBundle("securenet-" + kind + "-" + name, SslBundle.of(
                    SslStoreBundle.of(keyStore(name, identity), "", trustStore(identity)), SslBundleKey.of("", name)));
        });
    }

    private static KeyStore keyStore(String alias, EndpointConfigurer.Identity identity) {
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry(alias, identity.key(), NO_PASSWORD, identity.chain().toArray(X509Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot hold the key of " + alias + " in a key store: " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(EndpointConfigurer.Identity identity) {
        if (identity.trusted().isEmpty()) {
            return null;
        }
        try {
            KeyStore store = emptyStore();
            int index = 0;
            for (X509Certificate certificate : identity.trusted()) {
                store.setCertificateEntry("trusted-" + index++, certificate);
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot hold trusted certificates in a key store: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
