package dev.securenet.autoconfigure;

import dev.securenet.CorrettoCrypto;
import java.nio.file.Path;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Secure sockets and acceptors from {@code securenet.*}: each acceptor entry becomes a
 * {@link dev.securenet.TcpAcceptor} (or {@link dev.securenet.UdpAcceptor}) bean, bound when the
 * context starts, each socket entry a {@link TcpSocketFactory} (or {@link UdpSocketFactory}) bean,
 * all named after the entry. Adds nothing when there are no entries.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@Conditional(OnSecurenetEndpointsCondition.class)
@EnableConfigurationProperties(SecurenetProperties.class)
@Import(SecurenetEndpointRegistrar.class)
public class SecurenetAutoConfiguration {

    @Bean
    EndpointIdentities securenetEndpointIdentities(ResourceLoader resources, ObjectProvider<SslBundles> bundles,
                                                   Environment environment) {
        Path developmentCertificates = Path.of(environment.getProperty("java.io.tmpdir", "."), "securenet");
        return new EndpointIdentities(new PemIdentities(resources), bundles, new DevelopmentCertificates(developmentCertificates));
    }

    /** Named as {@link SecurenetEndpointRegistrar#ENDPOINTS}: the endpoint beans name it as their factory. */
    @Bean
    SecurenetEndpoints securenetEndpoints(SecurenetProperties properties, EndpointIdentities identities, BeanFactory beans,
                                          Environment environment, PemFileWatcher securenetPemFileWatcher,
                                          ObjectProvider<SslBundles> bundles, ObjectProvider<EndpointObservers> observers) {
        SecurenetConfigurationChecks.check(properties, environment); // again at run time: AOT registers the beans at build time
        if (properties.isInstallCorrettoCryptoProvider()) {
            installCorrettoCryptoProvider(); // before any endpoint's context exists
        }
        BeanReferences references = new BeanReferences(beans);
        boolean virtualThreads = environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false)
                && Runtime.version().feature() >= 21;
        EndpointSecurity security = new EndpointSecurity(identities, references, properties.getTlsProvider());
        EndpointRotation rotation = new EndpointRotation(identities, security, securenetPemFileWatcher, bundles);
        return new SecurenetEndpoints(properties, security, references, virtualThreads, identities, rotation, observers);
    }

    private static void installCorrettoCryptoProvider() {
        try {
            CorrettoCrypto.install();
        } catch (IllegalStateException e) {
            throw new SecurenetConfigurationException("securenet.install-corretto-crypto-provider", e.getMessage(),
                    "Add software.amazon.cryptools:AmazonCorrettoCryptoProvider with this platform's classifier"
                            + " (linux-x86_64, linux-aarch_64) to the application, or remove"
                            + " securenet.install-corretto-crypto-provider to keep the JDK's own providers.", e);
        }
    }

    /** Watches the certificate files of entries with {@code reload-on-update}; stops with the context. */
    @Bean
    PemFileWatcher securenetPemFileWatcher() {
        return new PemFileWatcher(PemFileWatcher.QUIET_PERIOD);
    }

    /** Registers the endpoints' own identities as SSL bundles for Boot's health, info and metrics. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SslBundleRegistrar.class)
    static class SslBundleRegistration {

        @Bean
        SslBundleRegistrar securenetSslBundleRegistrar(SecurenetProperties properties, EndpointIdentities identities) {
            return new SecurenetSslBundleRegistrar(properties, identities);
        }
    }
}
