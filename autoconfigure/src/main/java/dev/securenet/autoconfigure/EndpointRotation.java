package dev.securenet.autoconfigure;

import dev.securenet.SecurityProperties;
import dev.securenet.autoconfigure.SecurenetProperties.Acceptor;
import dev.securenet.autoconfigure.SecurenetProperties.Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;

/**
 * Brings rotated certificates to running endpoints without a restart: an entry with
 * {@code reload-on-update: true} has its PEM files watched, an entry backed by an SSL bundle follows
 * the bundle's updates. New material is read and checked exactly as at startup; if it is refused
 * (unreadable, key not matching the chain), the ERROR log names the files and the reason, the
 * previous certificate stays in use and health reports the endpoint as degraded until good files
 * arrive. New handshakes use the new material; established connections go on untouched.
 */
class EndpointRotation {

    /** Applies a new configuration to the running endpoint (acceptor, or socket factory). */
    @FunctionalInterface
    interface Target {
        void reconfigure(Consumer<SecurityProperties> configuration) throws IOException;
    }

    private static final Log LOG = LogFactory.getLog(EndpointRotation.class);

    private final EndpointIdentities identities;
    private final EndpointSecurity security;
    private final PemFileWatcher watcher;
    private final ObjectProvider<SslBundles> bundles;

    EndpointRotation(EndpointIdentities identities, EndpointSecurity security, PemFileWatcher watcher,
                     ObjectProvider<SslBundles> bundles) {
        this.identities = identities;
        this.security = security;
        this.watcher = watcher;
        this.bundles = bundles;
    }

    /**
     * Arranges for the entry's new material to reach its endpoint, if it can change.
     *
     * @param where the socket's target (host:port), or {@code null} for an acceptor
     * @throws SecurenetConfigurationException if {@code reload-on-update} has nothing it could watch
     */
    void follow(String prefix, Endpoint entry, String where, Target target, EndpointState state) {
        if (entry.isDisableSecurity()) {
            return; // reload-on-update beside plaintext is refused with the other security settings
        }
        if (entry.getBundle() != null) {
            if (entry.isReloadOnUpdate()) {
                throw new SecurenetConfigurationException(prefix + ".reload-on-update",
                        "the identity comes from SSL bundle '" + entry.getBundle() + "', whose own setting decides whether it reloads",
                        "Remove " + prefix + ".reload-on-update and set spring.ssl.bundle.pem." + entry.getBundle()
                                + ".reload-on-update: true (or .jks.): this endpoint follows every update of its bundle.", null);
            }
            SslBundles registry = bundles.getIfAvailable();
            if (registry != null) {
                String source = "SSL bundle '" + entry.getBundle() + "'";
                registry.addBundleUpdateHandler(entry.getBundle(), updated -> reload(prefix, entry, where, target, state, source));
            }
            return;
        }
        if (!entry.isReloadOnUpdate()) {
            return;
        }
        Set<Path> files = files(prefix, entry);
        String source = "files " + files;
        try {
            watcher.watch(prefix, files, () -> reload(prefix, entry, where, target, state, source));
        } catch (IOException e) {
            throw new SecurenetConfigurationException(prefix + ".reload-on-update", "cannot watch the certificate files: "
                    + e.getMessage(), "Check that the directories of " + prefix + "'s files exist and are readable.", e);
        }
    }

    /** @return the files of the entry's PEM material, each of which must be a file to be watched */
    private static Set<Path> files(String prefix, Endpoint entry) {
        if (DevelopmentCertificates.SELF_SIGNED.equals(entry.getCertificates())) {
            throw new SecurenetConfigurationException(prefix + ".reload-on-update",
                    "'certificates: self-signed' makes a development certificate at startup: there are no files to watch",
                    "Remove " + prefix + ".reload-on-update, or configure certificate files.", null);
        }
        Set<Path> files = new LinkedHashSet<>();
        for (Map.Entry<String, String> material : Map.of("certificates", nullable(entry.getCertificates()),
                "private-key", nullable(entry.getPrivateKey()),
                "trusted-certificates", nullable(entry.getTrustedCertificates())).entrySet()) {
            if (material.getValue().isEmpty()) {
                continue;
            }
            Optional<Path> file = PemIdentities.file(material.getValue());
            if (file.isEmpty()) {
                throw new SecurenetConfigurationException(prefix + "." + material.getKey(),
                        "reload-on-update watches files, and " + prefix + "." + material.getKey()
                                + " is inline PEM or a class path resource",
                        "Give " + prefix + "." + material.getKey() + " as a file (file:/path or a path), or remove "
                                + prefix + ".reload-on-update.", null);
            }
            files.add(file.get());
        }
        if (files.isEmpty()) {
            throw new SecurenetConfigurationException(prefix + ".reload-on-update",
                    "the entry has no certificate files to watch", "Remove " + prefix + ".reload-on-update.", null);
        }
        return files;
    }

    private static String nullable(String value) {
        return value == null ? "" : value;
    }

    /** @param source what changed, for the log: the files, or the bundle */
    private void reload(String prefix, Endpoint entry, String where, Target target, EndpointState state, String source) {
        EndpointIdentity previous = null;
        boolean replaced = false;
        try {
            previous = identities.reload(prefix, entry);
            replaced = true;
            Consumer<SecurityProperties> configuration = where == null
                    ? security.resolveAcceptor(prefix, (Acceptor) entry) : security.resolve(prefix, entry, where);
            target.reconfigure(configuration);
            state.rotated();
            EndpointIdentity now = identities.resolve(prefix, entry);
            if (EndpointIdentities.hasOwnIdentity(entry)) {
                registry().ifPresent(registry -> registry.updateBundle(SecurenetSslBundleRegistrar.bundleName(prefix),
                        now.toSslBundle(state.name())));
            }
            LOG.info(prefix + ": rotated certificates are in use" + describe(now) + " (from " + source + ")");
        } catch (IOException | RuntimeException e) {
            if (replaced) {
                identities.restore(prefix, previous);
            }
            String why = e instanceof SecurenetConfigurationException configuration
                    ? configuration.property() + ": " + configuration.description() : e.getMessage();
            state.rotationRefused(why);
            LOG.error(prefix + ": refused the new certificate material of " + source + " (" + why + "); the previous"
                    + " certificate stays in use until good files arrive");
        }
    }

    private Optional<SslBundleRegistry> registry() {
        return Optional.ofNullable(bundles.getIfAvailable()).filter(SslBundleRegistry.class::isInstance)
                .map(SslBundleRegistry.class::cast);
    }

    private static String describe(EndpointIdentity identity) {
        if (identity.chain().isEmpty()) {
            return " (trusted certificates only)";
        }
        X509Certificate leaf = identity.chain().get(0);
        return ": " + leaf.getSubjectX500Principal().getName() + ", valid until " + leaf.getNotAfter().toInstant();
    }
}
