package dev.securenet.autoconfigure;

import dev.securenet.autoconfigure.SecurenetProperties.Endpoint;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.core.io.ResourceLoader;

/**
 * Loads an entry's {@code certificates}, {@code private-key} and {@code trusted-certificates} with
 * Spring Boot's own PEM loading (inline PEM, {@code classpath:}, {@code file:} or a file path), as
 * for {@code spring.ssl.bundle.pem.*}. A failure names the property that holds the bad material.
 */
final class PemIdentities {

    /** A resource prefix, an absolute or relative path, or a bare file name with a certificate or key extension. */
    private static final Pattern LOCATION = Pattern.compile(
            "(classpath\\*?:|file:|/|\\./|\\.\\./|~/|[A-Za-z]:[\\\\/])\\S*|[\\w.\\-/\\\\]+\\.(pem|crt|cer|key|p8)");

    private final ResourceLoader resources;

    PemIdentities(ResourceLoader resources) {
        this.resources = resources;
    }

    /** @return the key and chain of the entry, which must have both */
    EndpointIdentity identity(String prefix, Endpoint entry) {
        requireCompleteInlinePem(prefix + ".certificates", entry.getCertificates());
        requireCompleteInlinePem(prefix + ".private-key", entry.getPrivateKey());
        PemSslStore store = PemSslStore.load(new PemSslStoreDetails(null, entry.getCertificates(), entry.getPrivateKey())
                .withPrivateKeyPassword(entry.getPrivateKeyPassword()), resources);
        List<X509Certificate> chain = certificates(prefix + ".certificates", entry.getCertificates(), store);
        PrivateKey key;
        try {
            key = store.privateKey();
        } catch (RuntimeException e) {
            boolean encrypted = entry.getPrivateKeyPassword() != null || messages(e, entry.getPrivateKey()).contains("ENCRYPTED");
            throw new SecurenetConfigurationException(prefix + ".private-key",
                    "cannot read the private key: " + messages(e, entry.getPrivateKey()),
                    encrypted ? "Check " + prefix + ".private-key-password, and that the key is a PKCS#8 'ENCRYPTED PRIVATE KEY'."
                            : "Give a PEM private key ('PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY'); an encrypted one needs "
                            + prefix + ".private-key-password.", causeFor(entry.getPrivateKey(), e));
        }
        if (key == null) {
            throw new SecurenetConfigurationException(prefix + ".private-key", shown(entry.getPrivateKey())
                    + " holds no private key", "Give a PEM private key block ('-----BEGIN PRIVATE KEY-----').", null);
        }
        return new EndpointIdentity(key, chain, List.of());
    }

    /** @return the certificates of a PEM property ({@code trusted-certificates}) */
    List<X509Certificate> trusted(String property, String value) {
        requireCompleteInlinePem(property, value);
        return certificates(property, value, PemSslStore.load(PemSslStoreDetails.forCertificates(value), resources));
    }

    private static List<X509Certificate> certificates(String property, String value, PemSslStore store) {
        List<X509Certificate> certificates;
        try {
            certificates = store.certificates();
        } catch (RuntimeException e) {
            throw new SecurenetConfigurationException(property, "cannot read the certificates: " + messages(e, value),
                    "Point " + property + " at a readable PEM file (classpath:..., file:... or a path) or give the PEM "
                            + "text inline: '-----BEGIN CERTIFICATE-----' blocks, leaf first.", causeFor(value, e));
        }
        if (certificates == null || certificates.isEmpty()) {
            throw new SecurenetConfigurationException(property, "no certificate found",
                    "Give PEM certificates ('-----BEGIN CERTIFICATE-----' blocks), leaf first.", null);
        }
        return certificates;
    }

    /**
     * Text that starts like PEM but is not complete PEM would be taken for a location, and the
     * loader's error would then quote it (possibly a key) as a file name: refuse it here.
     */
    private static void requireCompleteInlinePem(String property, String value) {
        if (value != null && value.strip().startsWith("-----BEGIN") && !PemContent.isPresentInText(value)) {
            throw new SecurenetConfigurationException(property, "the inline PEM is not valid PEM: it has no complete "
                    + "'-----BEGIN ...-----' ... '-----END ...-----' block",
                    "Give the whole PEM text, from its BEGIN line to its END line, or a location (classpath:..., file:...).", null);
        }
    }

    /** @return the messages of a failure and its causes, with the configured value never quoted unless it is a location */
    private static String messages(Throwable failure, String value) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && text.indexOf(cause.getMessage()) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(cause.getMessage());
            }
        }
        return value == null ? text.toString() : text.toString().replace(value, shown(value));
    }

    /** Anything but an evident location is never shown: inline text may be a key, with or without its PEM lines. */
    private static String shown(String value) {
        return isLocation(value) ? "'" + value + "'" : "(the inline value)";
    }

    /**
     * @param value a PEM property's value
     * @return the file it names, if it is a file (not inline PEM, not a class path resource)
     */
    static Optional<Path> file(String value) {
        if (value == null || !isLocation(value) || value.startsWith("classpath")) {
            return Optional.empty();
        }
        if (value.startsWith("file:")) {
            String path = value.substring("file:".length());
            return Optional.of(path.startsWith("//") ? Path.of(java.net.URI.create(value)) : Path.of(path));
        }
        return Optional.of(Path.of(value.startsWith("~/") ? System.getProperty("user.home") + value.substring(1) : value));
    }

    private static boolean isLocation(String value) {
        return LOCATION.matcher(value).matches();
    }

    /** The loader's exception quotes what it tried to read: keep it only for locations. */
    private static Throwable causeFor(String value, Throwable failure) {
        return value != null && isLocation(value) ? failure : null;
    }
}
