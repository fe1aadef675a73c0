package dev.securenet.internal.tls;

import dev.securenet.TlsProvider;
import java.lang.System.Logger.Level;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Resolves which {@link TlsProvider} an endpoint uses and makes its contexts, refusing what a
 * provider cannot do (Conscrypt: DTLS, finite-field DHE, EdDSA keys) instead of quietly doing
 * something else.
 */
public final class TlsProviders {

    private static final System.Logger LOG = System.getLogger(TlsProviders.class.getName());
    private static final String CONSCRYPT_ARTIFACT = "org.conscrypt:conscrypt-openjdk-uber";
    private static final AtomicBoolean WARNED_OF_CONSCRYPT = new AtomicBoolean();

    private TlsProviders() {
    }

    /**
     * @param protocol "TLS" or "DTLS"
     * @param settings the endpoint's settings
     * @return the provider the endpoint uses: its choice, else for TLS the JVM's default (see
     *         {@link TlsSettings#forTls()}), for DTLS the JDK's
     */
    static TlsProvider resolve(String protocol, TlsSettings settings) {
        if ("DTLS".equals(protocol)) {
            if (settings.provider() == TlsProvider.CONSCRYPT) {
                throw new IllegalStateException("This UDP endpoint chose the TLS provider CONSCRYPT, which has no DTLS:"
                        + " remove useTlsProvider(TlsProvider.CONSCRYPT) from it (UDP endpoints use the JDK's DTLS).");
            }
            return TlsProvider.JDK;
        }
        TlsProvider provider = settings.provider() != null ? settings.provider() : TlsProvider.fromSystemProperty();
        if (provider == TlsProvider.CONSCRYPT && settings.finiteFieldDhe()) {
            throw new IllegalStateException("This endpoint enables finite-field DHE, but its TLS provider, Conscrypt"
                    + " (BoringSSL), has no DHE suites, so they could never be offered: remove enableFiniteFieldDhe(),"
                    + " or use the JDK's provider (useTlsProvider(TlsProvider.JDK)).");
        }
        if (provider == TlsProvider.CONSCRYPT && settings.privateKey() != null && isEdDsa(settings.privateKey().getAlgorithm())) {
            throw new IllegalStateException("This endpoint's key is an EdDSA key (Ed25519 or Ed448), and its TLS"
                    + " provider, Conscrypt, presents only RSA and EC (ECDSA) keys: use an RSA or EC key and certificate,"
                    + " or the JDK's provider (useTlsProvider(TlsProvider.JDK)).");
        }
        if (provider == TlsProvider.CONSCRYPT && !WARNED_OF_CONSCRYPT.getAndSet(true)) {
            // what it does differently has no setting, so it is said where it takes effect, once per JVM
            LOG.log(Level.WARNING, "TLS endpoints run on Conscrypt here. Unlike the JDK's provider, its TLS 1.2"
                    + " handshakes accept a SHA-1 signature from a peer that offers nothing better, and it presents"
                    + " the certificate chain even to a peer that declared it cannot verify it; TLS 1.3 is unaffected.");
        }
        return provider;
    }

    private static boolean isEdDsa(String algorithm) {
        return algorithm.equals("EdDSA") || algorithm.equals("Ed25519") || algorithm.equals("Ed448");
    }

    /**
     * @param provider a provider an endpoint may choose
     * @throws IllegalStateException if it cannot run here, saying what is missing
     */
    public static void requireAvailable(TlsProvider provider) {
        try {
            context("TLS", provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The TLS provider " + provider + " has no TLS here: " + e.getMessage(), e);
        }
    }

    /**
     * @param protocol "TLS" or "DTLS"
     * @param provider from {@link #resolve}
     * @return a new, uninitialised context
     */
    static SSLContext context(String protocol, TlsProvider provider) throws GeneralSecurityException {
        if (provider == TlsProvider.JDK) {
            return SSLContext.getInstance(protocol);
        }
        try {
            return ConscryptTls.context();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("The TLS provider CONSCRYPT was chosen, but Conscrypt is not on the"
                    + " class path: add the dependency " + CONSCRYPT_ARTIFACT + ", or choose TlsProvider.JDK.", e);
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError e) {
            throw new IllegalStateException("The TLS provider CONSCRYPT was chosen, but its native code (BoringSSL)"
                    + " does not load on this machine (" + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                    + "): " + e + ". Choose TlsProvider.JDK here.", e);
        }
    }

    /**
     * @param context  a context from {@link #context}
     * @param provider its provider
     * @return its socket factory, set up for sockets layered over ours
     */
    static SSLSocketFactory socketFactory(SSLContext context, TlsProvider provider) {
        return provider == TlsProvider.CONSCRYPT ? ConscryptTls.socketFactory(context) : context.getSocketFactory();
    }

    /**
     * @param socket           a server socket whose handshake has just completed
     * @param handshakeStarted when it began ({@link System#currentTimeMillis()})
     * @param provider         the provider that made it
     * @return whether the handshake resumed a session
     */
    static boolean serverResumed(SSLSocket socket, long handshakeStarted, TlsProvider provider) {
        if (provider == TlsProvider.JDK) {
            return Sessions.resumed(socket.getSession(), handshakeStarted);
        }
        Boolean reused = ConscryptTls.sessionReused(socket);
        return reused != null ? reused : Sessions.resumedBySecondClock(socket.getSession(), handshakeStarted);
    }

    /**
     * @param socket   a new socket, before its handshake
     * @param provider the provider that made it
     * @return the socket, set up as every provider's should be (session resumption on)
     */
    static SSLSocket prepare(SSLSocket socket, TlsProvider provider) {
        if (provider == TlsProvider.CONSCRYPT) {
            ConscryptTls.useSessionTickets(socket);
        }
        return socket;
    }
}
