package dev.securenet.autoconfigure;

import dev.securenet.autoconfigure.SecurenetProperties.Endpoint;
import java.util.Map;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundleRegistry;

/**
 * Registers each endpoint's own identity (PEM or development certificate) as an SSL bundle named
 * {@code securenet-acceptor-<name>} or {@code securenet-socket-<name>}, so that Spring Boot's
 * {@code ssl} health indicator, info contributor and {@code ssl.chain.expiry} metric cover it.
 * Entries that use a {@code bundle} are bundles already.
 */
class SecurenetSslBundleRegistrar implements SslBundleRegistrar {

    private final SecurenetProperties properties;
    private final EndpointIdentities identities;

    SecurenetSslBundleRegistrar(SecurenetProperties properties, EndpointIdentities identities) {
        this.properties = properties;
        this.identities = identities;
    }

    @Override
    public void registerBundles(SslBundleRegistry registry) {
        register(registry, "acceptor", properties.getAcceptors());
        register(registry, "socket", properties.getSockets());
    }

    private void register(SslBundleRegistry registry, String kind, Map<String, ? extends Endpoint> entries) {
        entries.forEach((name, entry) -> {
            if (EndpointIdentities.hasOwnIdentity(entry)) {
                String prefix = "securenet." + kind + "s." + name;
                registry.registerBundle(bundleName(prefix), identities.resolve(prefix, entry).toSslBundle(name));
            }
        });
    }

    /** @return the bundle name of an entry: {@code securenet-acceptor-<name>} or {@code securenet-socket-<name>} */
    static String bundleName(String prefix) {
        String kinds = prefix.substring("securenet.".length(), prefix.indexOf('.', "securenet.".length()));
        String name = prefix.substring(("securenet." + kinds + ".").length());
        return "securenet-" + kinds.substring(0, kinds.length() - 1) + "-" + name;
    }
}
