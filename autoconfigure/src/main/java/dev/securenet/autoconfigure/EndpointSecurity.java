package dev.securenet.autoconfigure;

import dev.securenet.CertificateVerifier;
import dev.securenet.KeyMaterialException;
import dev.securenet.SecurityProperties;
import dev.securenet.TcpSocket;
import dev.securenet.autoconfigure.SecurenetProperties.Endpoint;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Turns one {@code securenet.*} entry into what configures its endpoints' {@link SecurityProperties}:
 * identity and trust, verifier, handshake timeout, and the explicit plaintext opt-out (logged as a
 * WARN). Everything is checked when the entry is resolved, so a bad entry fails startup, never the
 * first connection.
 */
class EndpointSecurity {

    private static final Log LOG = LogFactory.getLog(EndpointSecurity.class);

    private final EndpointIdentities identities;
    private final BeanReferences beans;

    EndpointSecurity(EndpointIdentities identities, BeanReferences beans) {
        this.identities = identities;
        this.beans = beans;
    }

    /**
     * @param prefix e.g. {@code securenet.acceptors.hello}
     * @param entry  the entry
     * @param where  the endpoint's address, for the plaintext warning
     * @return what configures each {@link SecurityProperties} of this entry
     * @throws SecurenetConfigurationException naming the property at fault
     */
    Consumer<SecurityProperties> resolve(String prefix, Endpoint entry, String where) {
        if (entry.isDisableSecurity()) {
            LOG.warn(prefix + " (" + where + ") has security DISABLED by configuration (disable-security: true): "
                    + "it speaks PLAINTEXT, readable and forgeable by anyone on the network path");
            return SecurityProperties::disableSecurity;
        }
        EndpointIdentity identity = identities.resolve(prefix, entry);
        CertificateVerifier verifier = entry.getVerifier() == null ? null
                : beans.get(prefix + ".verifier", entry.getVerifier(), CertificateVerifier.class);
        String because = "it is configured by " + prefix + "; only " + prefix + ".disable-security=true may turn security off";
        Consumer<SecurityProperties> configuration = target -> {
            target.requireSecurity(because);
            identity.applyTo(target);
            if (verifier != null) {
                target.useCertificateVerifier(verifier);
            }
            if (entry.getHandshakeTimeout() != null) {
                target.setHandshakeTimeout(entry.getHandshakeTimeout());
            }
        };
        try {
            configuration.accept(TcpSocket.open().securityProperties()); // fail now, not at the first connection
        } catch (KeyMaterialException e) {
            throw new SecurenetConfigurationException(prefix + ".private-key", e.getMessage(),
                    "Configure the private key that belongs to the first certificate of " + prefix + ".certificates.", e);
        } catch (IllegalArgumentException e) {
            throw new SecurenetConfigurationException(prefix + ".handshake-timeout", e.getMessage(),
                    "Set " + prefix + ".handshake-timeout to a positive duration, e.g. 10s.", e);
        }
        return configuration;
    }
}
