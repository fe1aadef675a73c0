package dev.securenet.autoconfigure;

import dev.securenet.CertificateVerifier;
import dev.securenet.ClientAuthentication;
import dev.securenet.KeyMaterialException;
import dev.securenet.SecurityProperties;
import dev.securenet.TcpSocket;
import dev.securenet.TlsProvider;
import dev.securenet.autoconfigure.SecurenetProperties.Acceptor;
import dev.securenet.autoconfigure.SecurenetProperties.Endpoint;
import dev.securenet.autoconfigure.SecurenetProperties.Protocol;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.util.ClassUtils;

/**
 * Turns one {@code securenet.*} entry into what configures its endpoints' {@link SecurityProperties}:
 * identity and trust, verifier or certificate check, client authentication, finite-field DHE, TLS
 * provider, handshake timeout, and the explicit plaintext opt-out (logged as a WARN, and refused beside any security setting
 * it would ignore). Everything is checked when the entry is
 * resolved, so a bad entry fails startup, never the first connection; no setting is inferred from
 * another, and none is dropped.
 */
class EndpointSecurity {

    private static final Log LOG = LogFactory.getLog(EndpointSecurity.class);
    private static final String CONSCRYPT_CLASS = "org.conscrypt.Conscrypt";

    private final EndpointIdentities identities;
    private final BeanReferences beans;
    /** {@code securenet.tls-provider}, or {@code null}. */
    private final TlsProvider defaultTlsProvider;

    /** @param defaultTlsProvider the provider of TLS entries that choose none ({@code securenet.tls-provider}), or {@code null} */
    EndpointSecurity(EndpointIdentities identities, BeanReferences beans, TlsProvider defaultTlsProvider) {
        this.identities = identities;
        this.beans = beans;
        this.defaultTlsProvider = defaultTlsProvider;
    }

    /**
     * @param prefix e.g. {@code securenet.sockets.backend}
     * @param entry  a socket entry
     * @param where  the endpoint's address, for the plaintext warning
     * @return what configures each {@link SecurityProperties} of this entry
     * @throws SecurenetConfigurationException naming the property at fault
     */
    Consumer<SecurityProperties> resolve(String prefix, Endpoint entry, String where) {
        return resolve(prefix, entry, where, ClientAuthentication.NONE);
    }

    /** As {@link #resolve(String, Endpoint, String)}, for an acceptor: with its client authentication. */
    Consumer<SecurityProperties> resolveAcceptor(String prefix, Acceptor entry) {
        ClientAuthentication clientAuthentication = entry.getClientAuthentication();
        if (!entry.isDisableSecurity()) {
            requireConsistentClientAuthentication(prefix, entry, clientAuthentication);
        } else if (clientAuthentication != ClientAuthentication.NONE) {
            throw new SecurenetConfigurationException(prefix + ".client-authentication",
                    "client authentication is " + clientAuthentication + " on an acceptor whose security is disabled",
                    "Remove " + prefix + ".client-authentication, or " + prefix + ".disable-security.", null);
        }
        return resolve(prefix, entry, entry.getAddress() + ":" + entry.getPort(), clientAuthentication);
    }

    private Consumer<SecurityProperties> resolve(String prefix, Endpoint entry, String where,
                                                 ClientAuthentication clientAuthentication) {
        if (entry.isDisableSecurity()) {
            List<String> ignored = entry.securitySettings();
            if (!ignored.isEmpty()) {
                throw new SecurenetConfigurationException(prefix + ".disable-security",
                        "security is disabled, so " + ignored.stream().map(name -> prefix + "." + name)
                                .collect(Collectors.joining(", ")) + " would be ignored",
                        "Remove " + String.join(", ", ignored) + " from " + prefix + " for plaintext, or remove "
                                + prefix + ".disable-security to use them.", null);
            }
            LOG.warn(prefix + " (" + where + ") has security DISABLED by configuration (disable-security: true): "
                    + "it speaks PLAINTEXT, readable and forgeable by anyone on the network path");
            return SecurityProperties::disableSecurity;
        }
        if (entry.getVerifier() != null && (entry.getTrustedCertificates() != null || entry.getCertificateCheck() != null)) {
            String other = entry.getTrustedCertificates() != null ? "trusted-certificates" : "certificate-check";
            throw new SecurenetConfigurationException(prefix + ".verifier",
                    "a verifier replaces the default evaluation of certificates, so " + prefix + "." + other
                            + " would never be used",
                    "Choose one of the two modes: " + prefix + ".verifier alone decides (the paper's custom verifier), or "
                            + prefix + ".trusted-certificates with " + prefix + ".certificate-check: the default evaluation "
                            + "(chain and host) and then your check, which can only refuse more.", null);
        }
        EndpointIdentity identity = identities.resolve(prefix, entry);
        CertificateVerifier verifier = entry.getVerifier() == null ? null
                : beans.get(prefix + ".verifier", entry.getVerifier(), CertificateVerifier.class);
        CertificateVerifier check = entry.getCertificateCheck() == null ? null
                : beans.get(prefix + ".certificate-check", entry.getCertificateCheck(), CertificateVerifier.class);
        if (entry.isFiniteFieldDhe()) {
            LOG.warn(prefix + " (" + where + ") also offers finite-field DHE suites for TLS 1.2 (finite-field-dhe: true), "
                    + "which RFC 9325 advises against: keep it only while peers without ECDHE need it");
        }
        ChosenProvider chosen = chosenProvider(prefix, entry);
        requireSupportedByProvider(prefix, entry, chosen);
        TlsProvider provider = chosen.provider();
        String because = "it is configured by " + prefix + "; only " + prefix + ".disable-security=true may turn security off";
        Consumer<SecurityProperties> configuration = target -> {
            target.requireSecurity(because);
            identity.applyTo(target);
            if (verifier != null) {
                target.useCertificateVerifier(verifier);
            }
            if (check != null) {
                target.useCertificateCheck(check);
            }
            if (clientAuthentication != ClientAuthentication.NONE) {
                target.setClientAuthentication(clientAuthentication);
            }
            if (entry.isFiniteFieldDhe()) {
                target.enableFiniteFieldDhe();
            }
            if (provider != null) {
                target.useTlsProvider(provider);
            }
            target.setHandshakeTimeout(entry.getHandshakeTimeout());
        };
        try {
            SecurityProperties trial = TcpSocket.open().securityProperties();
            configuration.accept(trial); // fail now, not at the first connection
            requireKeySupportedByProvider(chosen, trial);
        } catch (KeyMaterialException e) {
            throw new SecurenetConfigurationException(prefix + ".private-key", e.getMessage(),
                    "Configure the private key that belongs to the first certificate of " + prefix + ".certificates.", e);
        } catch (IllegalStateException e) {
            // a bundle's trust store together with a verifier: the verifier would drop it
            throw new SecurenetConfigurationException(prefix + ".verifier", e.getMessage(),
                    "Use the verifier alone (no trust store in " + prefix + ".bundle), or the bundle's trust with "
                            + prefix + ".certificate-check.", e);
        }
        return configuration;
    }

    /**
     * A TLS entry's provider, and what chose it: its own {@code tls-provider} ({@code byEntry}), else
     * {@code securenet.tls-provider}.
     *
     * @param provider {@code null} where none is chosen: the library's default (the JDK's), and DTLS
     */
    private record ChosenProvider(TlsProvider provider, String property, boolean byEntry) {

        String chosenBy() {
            return byEntry ? property : "securenet.tls-provider (or -D" + TlsProvider.SYSTEM_PROPERTY + ")";
        }

        /** What to write instead, besides removing the conflicting setting. */
        String otherwise() {
            return byEntry ? "remove " + property + " to use the JDK's provider"
                    : "set " + property + ": jdk for this endpoint (" + chosenBy() + " chose Conscrypt for every TLS entry)";
        }
    }

    private ChosenProvider chosenProvider(String prefix, Endpoint entry) {
        String property = prefix + ".tls-provider";
        if (entry.getProtocol() != Protocol.TLS) {
            return new ChosenProvider(null, property, true); // DTLS is the JDK's (a tls-provider on it failed earlier)
        }
        if (entry.getTlsProvider() != null) {
            return new ChosenProvider(entry.getTlsProvider(), property, true);
        }
        return new ChosenProvider(defaultTlsProvider, property, false);
    }

    /** What the chosen TLS provider cannot do fails here, not at the first connection. */
    private static void requireSupportedByProvider(String prefix, Endpoint entry, ChosenProvider chosen) {
        if (chosen.provider() != TlsProvider.CONSCRYPT) {
            return;
        }
        String property = chosen.property();
        if (entry.isFiniteFieldDhe()) {
            throw new SecurenetConfigurationException(property, "Conscrypt (BoringSSL), chosen by " + chosen.chosenBy()
                    + ", has no finite-field DHE suites, so " + prefix + ".finite-field-dhe could never take effect",
                    "Remove " + prefix + ".finite-field-dhe, or " + chosen.otherwise() + " (it has those suites).", null);
        }
        if (!ClassUtils.isPresent(CONSCRYPT_CLASS, null)) { // the application's class loader
            throw new SecurenetConfigurationException(property, "Conscrypt, chosen by " + chosen.chosenBy()
                    + ", is not on the class path",
                    "Add the dependency org.conscrypt:conscrypt-openjdk-uber to the application, or "
                            + chosen.otherwise() + ".", null);
        }
        try {
            TlsProvider.CONSCRYPT.requireAvailable(); // its native code loads on this machine
        } catch (IllegalStateException e) {
            throw new SecurenetConfigurationException(property, e.getMessage(),
                    "Run on a platform Conscrypt ships native code for, or " + chosen.otherwise() + ".", e);
        }
    }

    private static void requireKeySupportedByProvider(ChosenProvider chosen, SecurityProperties configured) {
        List<X509Certificate> chain = configured.certificateChain();
        if (chosen.provider() == TlsProvider.CONSCRYPT && !chain.isEmpty()) {
            String algorithm = chain.get(0).getPublicKey().getAlgorithm();
            if (algorithm.equals("EdDSA") || algorithm.equals("Ed25519") || algorithm.equals("Ed448")) {
                throw new SecurenetConfigurationException(chosen.property(), "Conscrypt, chosen by " + chosen.chosenBy()
                        + ", presents only RSA and EC (ECDSA) keys, and this endpoint's is an EdDSA key (" + algorithm + ")",
                        "Use an RSA or EC key and certificate, or " + chosen.otherwise() + ".", null);
            }
        }
    }

    /** Client authentication is never inferred from the trust settings, nor are they ever ignored. */
    private void requireConsistentClientAuthentication(String prefix, Acceptor entry, ClientAuthentication mode) {
        boolean trusts = !identities.resolve(prefix, entry).trusted().isEmpty();
        boolean judges = entry.getVerifier() != null || trusts;
        if (mode == ClientAuthentication.NONE && (judges || entry.getCertificateCheck() != null)) {
            String what = entry.getVerifier() != null ? "verifier"
                    : entry.getTrustedCertificates() != null ? "trusted-certificates"
                    : trusts ? "bundle (its trust store)" : "certificate-check";
            throw new SecurenetConfigurationException(prefix + ".client-authentication",
                    prefix + "." + what + " judges client certificates, but client-authentication is none "
                            + "(the default), so clients are never asked for one and it would be ignored",
                    "Set " + prefix + ".client-authentication: required (or optional) to authenticate clients, or remove "
                            + prefix + "." + what + ".", null);
        }
        if (mode != ClientAuthentication.NONE && !judges) {
            throw new SecurenetConfigurationException(prefix + ".client-authentication",
                    "client-authentication is " + mode.name().toLowerCase(Locale.ROOT)
                            + " but nothing is configured to judge client certificates with",
                    "Set " + prefix + ".trusted-certificates to the roots client certificates must lead to (the public "
                            + "roots prove nothing about who a client is), or " + prefix + ".verifier.", null);
        }
    }
}
