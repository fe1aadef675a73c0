package dev.securenet.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Hostile clients for attack tests, from other loopback addresses (127.0.0.2-127.0.0.9): plain
 * connections that say nothing, and TLS connections that complete a real handshake and then say
 * nothing. Callers bound how many they open and close them all.
 */
public final class Attackers {

    private static final Duration CONNECT = Duration.ofSeconds(10);

    private Attackers() {
    }

    /** @return a plain connection from {@code source} to 127.0.0.1, or {@code null} if it was reset at once */
    public static Socket connectFrom(String source, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT.toMillis());
            return socket;
        } catch (SocketException reset) {
            socket.close();
            return null;
        }
    }

    /**
     * Completes a real TLS handshake (JSSE, trusting only {@code root}) over a connected socket and
     * then says nothing.
     *
     * @return the TLS socket, closing which closes {@code raw}
     */
    public static SSLSocket handshakeThenSilence(Socket raw, X509Certificate root, int port) throws Exception {
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("root", root);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", port, true);
        tls.setSoTimeout((int) CONNECT.toMillis());
        tls.startHandshake();
        return tls;
    }
}
