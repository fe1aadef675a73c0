package dev.securenet;

import dev.securenet.internal.tls.TlsProviders;
import java.util.Locale;

/**
 * Which implementation of TLS runs an endpoint's handshakes and records. Both make the same trust
 * decision (system roots or trusted certificates, hostname verification, or a
 * {@link CertificateVerifier}), with the same typed {@link SecureConnectionException.Reason reasons}
 * and the same PEM key material; where {@link #CONSCRYPT} cannot do what the JDK's does, it says so
 * below.
 *
 * <p>An endpoint chooses with {@link SecurityProperties#useTlsProvider(TlsProvider)}. One that does
 * not choose uses, over TCP, the provider the system property {@value #SYSTEM_PROPERTY} names (for
 * example {@code -Dsecurenet.tlsProvider=conscrypt}: an existing program runs on Conscrypt without a
 * change), or {@link #JDK} if it is not set; over UDP it uses {@link #JDK}, the only one with DTLS.
 */
public enum TlsProvider {

    /** The JDK's own JSSE ({@code SunJSSE}): TLS 1.3 and 1.2, and DTLS 1.2. The default. */
    JDK,

    /**
     * Google's Conscrypt, BoringSSL inside: TLS 1.3 and 1.2, with handshakes that cost a fraction of
     * the JDK's CPU. It needs {@code org.conscrypt:conscrypt-openjdk-uber} on the class path (native
     * code for Linux, macOS and Windows on x86-64, and Linux and macOS on AArch64), and is used
     * through a provider object of securenet's own, never installed in the JVM's list of providers.
     *
     * <p>Refused when an endpoint connects or listens, because Conscrypt cannot do it: DTLS (a UDP
     * endpoint that chooses it), finite-field DHE ({@link SecurityProperties#enableFiniteFieldDhe()}),
     * and EdDSA keys (it presents RSA and EC keys only). Different, because it offers no setting:
     * TLS 1.2 handshake signatures follow BoringSSL's defaults, which still include SHA-1 for a peer
     * that offers nothing better (the JDK's provider refuses SHA-1 and SHA-224); and the chain is
     * presented even to a peer that declared it cannot verify it, which then refuses it itself.
     */
    CONSCRYPT;

    /**
     * Fails now, rather than at an endpoint's first handshake, if this provider cannot run here.
     *
     * @throws IllegalStateException saying what is missing: Conscrypt's classes, or its native code
     *                               for this machine
     */
    public void requireAvailable() {
        TlsProviders.requireAvailable(this);
    }

    /** The system property that names the default provider of TCP endpoints: {@code jdk} or {@code conscrypt}. */
    public static final String SYSTEM_PROPERTY = "securenet.tlsProvider";

    /**
     * @return the provider {@value #SYSTEM_PROPERTY} names, or {@link #JDK} if it is not set: the
     *         provider of TCP endpoints that choose none
     * @throws IllegalArgumentException if it names no provider
     */
    public static TlsProvider fromSystemProperty() {
        String name = System.getProperty(SYSTEM_PROPERTY);
        return name == null || name.isBlank() ? JDK : named(name, "-D" + SYSTEM_PROPERTY);
    }

    private static TlsProvider named(String name, String where) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " names no TLS provider: '" + name + "'; write jdk or conscrypt", e);
        }
    }
}
