package dev.securenet.autoconfigure;

import dev.securenet.SelfSignedIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
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
        SelfSignedIdentity identity = SelfSignedIdentity.forLocalhost(Duration.ofDays(90));
        String name = prefix.substring(prefix.lastIndexOf('.') + 1);
        Path file = directory.resolve(name + "-certificate.pem");
        try {
            write(file, identity.certificatePem());
        } catch (IOException e) {
            LOG.warn("could not write the development certificate of " + prefix + " to " + file + ": " + e.getMessage());
        }
        LOG.warn(prefix + " uses a self-signed DEVELOPMENT certificate made at startup (certificates: self-signed). "
                + "Do not use this in production. Clients can trust it explicitly, e.g. curl --cacert " + file);
        return identity;
    }

    /**
     * Writes where clients will trust what they find: into a directory only this user may change
     * (the default lies in the shared temporary directory), replacing any file or link atomically.
     */
    private void write(Path file, String pem) throws IOException {
        Files.createDirectories(directory);
        if (Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null) {
            UserPrincipal owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
            UserPrincipal me = directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            if (!owner.equals(me) || Files.isSymbolicLink(directory)) {
                throw new IOException(directory + " belongs to " + owner.getName() + ", not to this user");
            }
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
        Path temporary = Files.createTempFile(directory, ".certificate", ".tmp");
        Files.writeString(temporary, pem);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
