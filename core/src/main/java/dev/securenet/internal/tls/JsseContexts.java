package dev.securenet.internal.tls;

import dev.securenet.ClientAuthentication;
import dev.securenet.TlsProvider;
import dev.securenet.internal.trust.PeerTrustManager;
import dev.securenet.internal.trust.SystemTrustAnchors;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * Builds JSSE contexts ("TLS" or "DTLS") with an endpoint's one identity and one trust decision:
 * the same rules for TCP and UDP, and for every {@link TlsProvider}.
 */
public final class JsseContexts {

    private JsseContexts() {
    }

    /**
     * @param protocol "TLS" or "DTLS"
     * @param settings the client's settings
     * @return a context verifying servers with the verifier, or against the system roots plus the
     *         extra trusted certificates (hostname verification is switched on per connection)
     */
    public static SSLContext client(String protocol, TlsSettings settings) {
        TrustManager trust;
        if (settings.verifier() != null) {
            trust = PeerTrustManager.verifiedBy(settings.verifier());
        } else {
            Set<X509Certificate> anchors = new LinkedHashSet<>(SystemTrustAnchors.get());
            anchors.addAll(settings.trustedCertificates());
            trust = PeerTrustManager.anchoredAt(anchors, settings.check());
        }
        return context(protocol, settings, trust);
    }

    /**
     * @param protocol "TLS" or "DTLS"
     * @param settings the server's settings; must have an identity
     * @return a context that judges client certificates, when its client authentication asks for
     *         them, with the verifier or against the trusted certificates only
     */
    public static SSLContext server(String protocol, TlsSettings settings) {
        if (!settings.hasIdentity()) {
            throw new IllegalStateException("a " + protocol + " server needs a private key and a certificate chain");
        }
        TrustManager trust = null;
        if (settings.clientAuthentication() != ClientAuthentication.NONE) {
            trust = settings.verifier() != null ? PeerTrustManager.verifiedBy(settings.verifier())
                    : PeerTrustManager.anchoredAt(settings.trustedCertificates(), settings.check());
        }
        return context(protocol, settings, trust);
    }

    /** Asks clients for certificates as the server's settings say. */
    public static void applyClientAuthentication(SSLParameters parameters, ClientAuthentication clientAuthentication) {
        switch (clientAuthentication) {
            case REQUIRED -> parameters.setNeedClientAuth(true);
            case OPTIONAL -> parameters.setWantClientAuth(true);
            case NONE -> parameters.setNeedClientAuth(false);
        }
    }

    private static SSLContext context(String protocol, TlsSettings settings, TrustManager trust) {
        KeyManager[] keyManagers = settings.hasIdentity()
                ? new KeyManager[] {new SingleIdentityKeyManager(settings.privateKey(), settings.certificates())}
                : new KeyManager[0]; // not null: null would make JSSE fall back to javax.net.ssl.keyStore
        TlsProvider provider = TlsProviders.resolve(protocol, settings);
        try {
            SSLContext context = TlsProviders.context(protocol, provider);
            context.init(keyManagers, trust == null ? new TrustManager[0] : new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the " + provider + " " + protocol + " provider is unusable: " + e.getMessage(), e);
        }
    }
}
