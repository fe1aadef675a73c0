package dev.securenet.autoconfigure;

import dev.securenet.internal.pem.SelfSignedIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The explicit development identity ({@code certificates: self-signed}): a fresh self-signed
 * certificate for localhost, 127.0.0.1 and ::1, made at startup. Its PEM is written to a file so
 * that clients can trust it ({@code curl --cacert}). Never a default: it must be asked for.
 */
class DevelopmentCertificates {

    /** The value of {@code certificates} that asks for a development certificate. */
    static final String SELF_SIGNED = "self-signed";

    private static final Log LOG = LogFactory.getLog(DevelopmentCertificates.class);

    private final Path directory;

    DevelopmentCertificates(Path directory) {
        this.directory = directory;
    }

    SelfSignedIdentity create(String prefix) {
        SelfSignedIdentity identity = SelfSignedIdentity.generate("localhost", List.of("localhost"),
                List.of("127.0.0.1", "::1"), Duration.ofDays(90));
        String name = prefix.substring(prefix.lastIndexOf('.') + 1);
        Path file = directory.resolve(name + "-certificate.pem");
        try {
            Files.createDirectories(directory);
            Files.writeString(file, identity.certificatePem());
        } catch (IOException e) {
            LOG.warn("could not write the development certificate of " + prefix + " to " + file + ": " + e.getMessage());
        }
        LOG.warn(prefix + " uses a self-signed DEVELOPMENT certificate made at startup (certificates: self-signed). "
                + "Do not use this in production. Clients can trust it explicitly, e.g. curl --cacert " + file);
        return identity;
    }

    /** @return where the certificates are written */
    Path directory() {
        return directory;
    }
}
