package dev.securenet.autoconfigure;

import dev.securenet.CertificateVerifier;
import dev.securenet.KeyMaterialException;
import dev.securenet.SecurityProperties;
import dev.securenet.TcpSocket;
import dev.securenet.autoconfigure.SecurenetProperties.Endpoint;
import dev.securenet.internal.pem.PemReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Applies one {@code securenet.*} entry to an endpoint's {@link SecurityProperties}: identity (PEM,
 * SSL bundle or development certificate), trust, verifier, timeout, and the plaintext opt-out.
 * Every problem becomes a {@link SecurenetConfigurationException} naming the property.
 */
class EndpointConfigurer {

    private static final Log LOG = LogFactory.getLog(EndpointConfigurer.class);

    private final ResourceLoader resources;
    private final BeanFactory beans;
    private final ObjectProvider<SslBundles> bundles;
    private final DevelopmentCertificates developmentCertificates;
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();

    /** A key with its chain, leaf first, and the certificates to trust. */
    record Identity(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted) {
    }

    EndpointConfigurer(ResourceLoader resources, BeanFactory beans, ObjectProvider<SslBundles> bundles,
                       DevelopmentCertificates developmentCertificates) {
        this.resources = resources;
        this.beans = beans;
        this.bundles = bundles;
        this.developmentCertificates = developmentCertificates;
    }

    /**
     * Resolves an entry once: reads its material, looks its verifier up, and logs the plaintext
     * warning. Fails with a {@link SecurenetConfigurationException} naming the property.
     *
     * @param prefix   e.g. {@code securenet.acceptors.hello}
     * @param endpoint the entry
     * @param where    the endpoint's address, for the plaintext warning
     * @return what configures each {@link SecurityProperties} of this entry, silently
     */
    Consumer<SecurityProperties> resolve(String prefix, Endpoint endpoint, String where) {
        if (endpoint.isDisableSecurity()) {
            LOG.warn(prefix + " (" + where + ") has security DISABLED by configuration (disable-security: true): "
                    + "it speaks PLAINTEXT, readable and forgeable by anyone on the network path");
            return SecurityProperties::disableSecurity;
        }
        Identity identity = identity(prefix, endpoint);
        CertificateVerifier verifier = endpoint.getVerifier() == null ? null
                : bean(prefix + ".verifier", endpoint.getVerifier(), CertificateVerifier.class);
        String because = "it is configured by " + prefix + "; only " + prefix + ".disable-security=true may turn security off";
        Consumer<SecurityProperties> configuration = target -> {
            target.requireSecurity(because);
            if (identity.key() != null) {
                target.usePrivateKey(identity.key()).useCertificateChain(identity.chain());
            }
            if (!identity.trusted().isEmpty()) {
                target.useTrustedCertificates(identity.trusted());
            }
            if (verifier != null) {
                target.useCertificateVerifier(verifier);
            }
            if (endpoint.getHandshakeTimeout() != null) {
                target.setHandshakeTimeout(endpoint.getHandshakeTimeout());
            }
        };
        try {
            configuration.accept(TcpSocket.open().securityProperties()); // fail now, not at the first connection
        } catch (KeyMaterialException e) {
            throw new SecurenetConfigurationException(prefix + ".private-key", e.getMessage(),
                    "Configure the private key that belongs to the first certificate of " + prefix + ".certificates.", e);
        }
        return configuration;
    }

    /** Resolves (once per entry) the entry's key, chain and trusted certificates. */
    Identity identity(String prefix, Endpoint endpoint) {
        return identities.computeIfAbsent(prefix, ignored -> resolve(prefix, endpoint));
    }

    private Identity resolve(String prefix, Endpoint endpoint) {
        List<X509Certificate> trusted = endpoint.getTrustedCertificates() == null ? List.of()
                : certificates(prefix + ".trusted-certificates", endpoint.getTrustedCertificates());
        if (endpoint.getBundle() != null) {
            if (endpoint.getCertificates() != null || endpoint.getPrivateKey() != null) {
                throw new SecurenetConfigurationException(prefix + ".bundle",
                        "both an SSL bundle and PEM certificates/private-key are configured",
                        "Use either " + prefix + ".bundle or " + prefix + ".certificates with " + prefix + ".private-key.", null);
            }
            Identity fromBundle = fromBundle(prefix, endpoint.getBundle());
            List<X509Certificate> allTrusted = new ArrayList<>(fromBundle.trusted());
            allTrusted.addAll(trusted);
            return new Identity(fromBundle.key(), fromBundle.chain(), allTrusted);
        }
        if (DevelopmentCertificates.SELF_SIGNED.equals(endpoint.getCertificates())) {
            if (endpoint.getPrivateKey() != null) {
                throw new SecurenetConfigurationException(prefix + ".private-key",
                        "a private key is configured together with 'certificates: self-signed', which makes its own key",
                        "Remove " + prefix + ".private-key, or configure real certificates.", null);
            }
            var generated = developmentCertificates.create(prefix);
            return new Identity(generated.privateKey(), List.of(generated.certificate()), trusted);
        }
        if (endpoint.getCertificates() == null && endpoint.getPrivateKey() == null) {
            return new Identity(null, List.of(), trusted);
        }
        if (endpoint.getCertificates() == null || endpoint.getPrivateKey() == null) {
            String missing = endpoint.getCertificates() == null ? "certificates" : "private-key";
            throw new SecurenetConfigurationException(prefix + "." + missing,
                    "a " + (endpoint.getCertificates() == null ? "private key" : "certificate chain") + " is configured without "
                            + (endpoint.getCertificates() == null ? "its certificate chain" : "its private key"),
                    "Set " + prefix + "." + missing + " (inline PEM, classpath:... or file:...).", null);
        }
        List<X509Certificate> chain = certificates(prefix + ".certificates", endpoint.getCertificates());
        PrivateKey key;
        try {
            String password = endpoint.getPrivateKeyPassword();
            key = PemReader.privateKey(read(prefix + ".private-key", endpoint.getPrivateKey()),
                    password == null ? null : password.toCharArray());
        } catch (KeyMaterialException e) {
            throw new SecurenetConfigurationException(prefix + ".private-key", e.getMessage(),
                    e.getMessage().contains("password") ? "Check " + prefix + ".private-key-password."
                            : "Give a PEM private key: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1.", e);
        }
        return new Identity(key, chain, trusted);
    }

    private List<X509Certificate> certificates(String property, String value) {
        try {
            return PemReader.certificates(read(property, value), property.substring(property.lastIndexOf('.') + 1));
        } catch (KeyMaterialException e) {
            throw new SecurenetConfigurationException(property, e.getMessage(),
                    "Give PEM certificates ('-----BEGIN CERTIFICATE-----' blocks), leaf first.", e);
        }
    }

    /** Inline PEM, or a resource location: 'classpath:...', 'file:...' or a plain file path. */
    private String read(String property, String value) {
        if (value.strip().startsWith("-----BEGIN")) {
            return value;
        }
        Resource resource = value.contains(":") && !value.matches("[A-Za-z]:\\\\.*")
                ? resources.getResource(value) : new FileSystemResource(value);
        try (InputStream input = resource.getInputStream()) {
            return new String(input.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new SecurenetConfigurationException(property, "cannot read '" + value + "': " + e.getMessage(),
                    "Point " + property + " at a readable PEM file (classpath:..., file:...) or give the PEM text inline.", e);
        }
    }

    private Identity fromBundle(String prefix, String name) {
        SslBundle bundle;
        try {
            SslBundles registry = bundles.getIfAvailable();
            if (registry == null) {
                throw new NoSuchSslBundleException(name, "no SSL bundles are configured");
            }
            bundle = registry.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            SslBundles registry = bundles.getIfAvailable();
            throw new SecurenetConfigurationException(prefix + ".bundle", "there is no SSL bundle named '" + name + "'"
                    + (registry == null ? "" : " (known: " + registry.getBundleNames() + ")"),
                    "Define spring.ssl.bundle.pem." + name + " or spring.ssl.bundle.jks." + name + ", or fix the name.", e);
        }
        try {
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
            return new Identity(key, chain, trusted);
        } catch (GeneralSecurityException e) {
            throw new SecurenetConfigurationException(prefix + ".bundle", "cannot read the key of SSL bundle '" + name
                    + "': " + e.getMessage(), "Check the bundle's key alias and password.", e);
        }
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

    /** Looks a bean up by name and type, failing with an explanation. */
    <T> T bean(String property, String name, Class<T> type) {
        try {
            return beans.getBean(name, type);
        } catch (BeanNotOfRequiredTypeException e) {
            throw new SecurenetConfigurationException(property, "bean '" + name + "' is a "
                    + e.getActualType().getName() + ", not a " + type.getName(),
                    "Name a bean that implements " + type.getName() + ".", e);
        } catch (NoSuchBeanDefinitionException e) {
            throw new SecurenetConfigurationException(property, "there is no bean named '" + name + "'",
                    "Define a " + type.getSimpleName() + " bean named '" + name + "', or fix " + property + ".", e);
        }
    }
}
