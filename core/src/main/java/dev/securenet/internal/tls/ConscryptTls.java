package dev.securenet.internal.tls;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.conscrypt.Conscrypt;

/**
 * The only class that touches Conscrypt, so that its classes load only for endpoints that chose it
 * (it is an optional dependency). Its provider object is private to securenet: it is never added to
 * the JVM's list of providers, so nothing else in the program changes.
 */
final class ConscryptTls {

    private ConscryptTls() {
    }

    /**
     * @return a new, uninitialised "TLS" context of Conscrypt's
     * @throws UnsatisfiedLinkError if BoringSSL's native code does not load on this machine
     */
    static SSLContext context() throws GeneralSecurityException {
        Conscrypt.checkAvailability();
        return SSLContext.getInstance("TLS", Shared.PROVIDER);
    }

    /**
     * @param context a context from {@link #context()}
     * @return its socket factory, making sockets that run BoringSSL over the socket's own streams
     *         (its default reaches into {@code java.net.Socket}'s file descriptor, which the module
     *         system forbids without {@code --add-opens java.base/java.net=ALL-UNNAMED})
     */
    static SSLSocketFactory socketFactory(SSLContext context) {
        SSLSocketFactory factory = context.getSocketFactory();
        Conscrypt.setUseEngineSocket(factory, true);
        return factory;
    }

    /**
     * Conscrypt leaves session tickets off, and with them TLS 1.3 resumption (BoringSSL then sends
     * no NewSessionTicket); the JDK's provider has them on. Resumption is part of what an endpoint
     * does whichever provider runs it.
     *
     * @param socket a socket from {@link #socketFactory}
     */
    static void useSessionTickets(SSLSocket socket) {
        Conscrypt.setUseSessionTickets(socket, true);
    }

    /**
     * Whether a server socket's handshake resumed a session. Conscrypt says so to no public API, and
     * its session times cannot tell (BoringSSL restamps a TLS 1.3 session it resumes), so this asks
     * BoringSSL ({@code SSL_session_reused}) through Conscrypt's internals: the engine socket's engine,
     * its native SSL, and the JNI method. Only on the Conscrypt release the build manages, whose
     * internals the test suite checks in both directions: on another, a native method handed a
     * pointer it does not expect could crash the JVM rather than throw.
     *
     * @param socket a handshaken socket from {@link #socketFactory}
     * @return BoringSSL's answer, or {@code null} on another release or if these internals are not
     *         what they were
     */
    static Boolean sessionReused(SSLSocket socket) {
        if (!Shared.INTERNALS_KNOWN) {
            return null;
        }
        try {
            Object engine = field(socket.getClass(), "engine").get(socket);
            Object nativeSsl = field(engine.getClass(), "ssl").get(engine);
            long address = field(nativeSsl.getClass(), "ssl").getLong(nativeSsl);
            Method reused = Class.forName("org.conscrypt.NativeCrypto", false, Conscrypt.class.getClassLoader())
                    .getDeclaredMethod("SSL_session_reused", long.class, nativeSsl.getClass());
            reused.setAccessible(true);
            return (Boolean) reused.invoke(null, address, nativeSsl); // the socket is not yet anyone else's to close
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    /** One provider object for the JVM, made on first use. */
    private static final class Shared {

        static final Provider PROVIDER = Conscrypt.newProviderBuilder()
                .setName("securenet-Conscrypt")
                .provideTrustManager(false) // trust is PeerTrustManager's, as with the JDK's provider
                .build();

        /** Whether this is the release whose internals {@link #sessionReused} reads: 2.9. */
        static final boolean INTERNALS_KNOWN = Conscrypt.version() != null
                && Conscrypt.version().major() == 2 && Conscrypt.version().minor() == 9;
    }
}
