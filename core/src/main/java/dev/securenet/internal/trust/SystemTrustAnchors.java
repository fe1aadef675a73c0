package dev.securenet.internal.trust;

import dev.securenet.KeyMaterialException;
import dev.securenet.internal.pem.PemReader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The system's trusted roots: the JDK's default trust store plus the operating system's CA bundle
 * and platform store where there is one; or, when the operator chose a store with
 * {@code javax.net.ssl.trustStore}, exactly that store, so that roots removed from it stay removed.
 * Loaded once, on first use.
 */
public final class SystemTrustAnchors {

    private static final System.Logger LOG = System.getLogger(SystemTrustAnchors.class.getName());

    /** The usual locations of the OS CA bundle on Debian/Ubuntu/Alpine, RHEL/Fedora, SUSE and macOS. */
    private static final List<Path> OS_BUNDLES = List.of(
            Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
            Path.of("/etc/ssl/ca-bundle.pem"),
            Path.of("/etc/ssl/cert.pem"));

    /** Native stores the JDK can read: Windows' and macOS's. */
    private static final List<String> PLATFORM_STORES = List.of("Windows-ROOT", "KeychainStore");

    private SystemTrustAnchors() {
    }

    /** @return every system root, deduplicated (unmodifiable) */
    public static Set<X509Certificate> get() {
        return Holder.ANCHORS;
    }

    private static final class Holder {
        static final Set<X509Certificate> ANCHORS = load();
    }

    /** @return the anchors as the system properties say now */
    static Set<X509Certificate> load() {
        String chosen = System.getProperty("javax.net.ssl.trustStore");
        if (chosen != null && !chosen.isEmpty()) {
            Set<X509Certificate> anchors = Collections.unmodifiableSet(new LinkedHashSet<>(jdkDefault()));
            LOG.log(Level.DEBUG, "javax.net.ssl.trustStore={0}: trusting exactly its {1} roots", chosen, anchors.size());
            return anchors;
        }
        Set<X509Certificate> anchors = new LinkedHashSet<>(jdkDefault());
        for (Path bundle : OS_BUNDLES) {
            if (Files.isReadable(bundle)) {
                anchors.addAll(osBundle(bundle));
                break; // these paths are alternatives (often links to each other), not complements
            }
        }
        for (String type : PLATFORM_STORES) {
            anchors.addAll(platformStore(type));
        }
        LOG.log(Level.DEBUG, "loaded {0} system trust anchors", anchors.size());
        return Collections.unmodifiableSet(anchors);
    }

    private static List<X509Certificate> jdkDefault() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return List.of(x509.getAcceptedIssuers());
                }
            }
        } catch (GeneralSecurityException e) {
            LOG.log(Level.WARNING, "could not read the JDK's default trust store: " + e.getMessage(), e);
        }
        return List.of();
    }

    private static List<X509Certificate> osBundle(Path bundle) {
        try {
            return PemReader.certificates(Files.readString(bundle, StandardCharsets.US_ASCII), "CA bundle " + bundle);
        } catch (IOException | KeyMaterialException e) {
            LOG.log(Level.WARNING, "ignoring the OS CA bundle " + bundle + ": " + e.getMessage());
            return List.of();
        }
    }

    private static List<X509Certificate> platformStore(String type) {
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(null, null);
            List<X509Certificate> certificates = new java.util.ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate instanceof X509Certificate x509 && store.isCertificateEntry(alias)) {
                    certificates.add(x509);
                }
            }
            return certificates;
        } catch (GeneralSecurityException | IOException e) {
            return List.of(); // this platform has no such store
        }
    }
}
