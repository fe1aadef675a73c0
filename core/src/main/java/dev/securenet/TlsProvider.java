package dev.securenet;

import java.util.Locale;

/**
 * Which implementation of TLS runs an endpoint's handshakes and records. Either one keeps every
 * guarantee of {@link SecurityProperties}: the same trust decision (system roots or trusted
 * certificates, hostname verification, or a {@link CertificateVerifier}), the same typed
 * {@link SecureConnectionException.Reason reasons}, the same PEM key material.
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
     * Google's Conscrypt, BoringSSL inside: TLS 1.3 and 1.2 only, and several times faster
     * handshakes than the JDK's. It needs {@code org.conscrypt:conscrypt-openjdk-uber} on the class path
     * (native code for Linux x86-64 and AArch64, and Windows x86-64). It has no DTLS, so UDP
     * endpoints that choose it refuse to connect or listen, and no finite-field DHE suites, so TCP
     * endpoints that {@linkplain SecurityProperties#enableFiniteFieldDhe() enable them} refuse it too. It is used
     * through its own provider object, never installed in the JVM's list of providers.
     */
    CONSCRYPT;

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
