package dev.securenet.internal.dtls;

/**
 * What the JDK's DTLS engines do that only the JVM's settings decide.
 */
final class JdkDtls {

    /** The JDK's own switch, read once per JVM by its engines; {@code true} unless set otherwise. */
    static final String RESUMPTION_COOKIE_PROPERTY = "jdk.tls.enableDtlsResumeCookie";

    private JdkDtls() {
    }

    /**
     * @return whether the JVM runs with {@code -Djdk.tls.enableDtlsResumeCookie=false}: then a server
     *         engine resumes a session without asking for a cookie first (it still asks on full
     *         handshakes), read as the JDK reads it
     */
    static boolean resumesWithoutCookie() {
        return "false".equalsIgnoreCase(System.getProperty(RESUMPTION_COOKIE_PROPERTY));
    }
}
