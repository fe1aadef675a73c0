package dev.securenet.benchmarks;

import dev.securenet.SelfSignedIdentity;
import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A securenet acceptor on 127.0.0.1 that acknowledges every {@link #CHUNK} received bytes with one
 * byte, and a JSSE context that trusts its self-signed certificate (for the raw baselines).
 */
final class LoopbackTls implements AutoCloseable {

    static final int CHUNK = 1 << 20;

    final SelfSignedIdentity identity = SelfSignedIdentity.forLocalhost(Duration.ofDays(1));
    final TcpAcceptor acceptor = TcpAcceptor.open();
    private final Thread server;

    LoopbackTls() throws IOException {
        acceptor.securityProperties().useCertificateChain(List.of(identity.certificate())).usePrivateKey(identity.privateKey());
        acceptor.bind("127.0.0.1", 0).listen();
        server = new Thread(this::serve, "benchmark-server");
        server.setDaemon(true);
        server.start();
    }

    int port() {
        return acceptor.localAddress().getPort();
    }

    private void serve() {
        while (true) {
            TcpSocket socket;
            try {
                socket = acceptor.accept();
            } catch (IOException closed) {
                return;
            }
            Thread connection = new Thread(() -> acknowledge(socket), "benchmark-connection");
            connection.setDaemon(true);
            connection.start();
        }
    }

    private static void acknowledge(TcpSocket socket) {
        try (socket) {
            InputStream input = socket.getInputStream();
            OutputStream output = socket.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long received = 0;
            for (int n = input.read(buffer); n > 0; n = input.read(buffer)) {
                received += n;
                while (received >= CHUNK) {
                    received -= CHUNK;
                    output.write(1);
                    output.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** @return a context trusting the acceptor's certificate, with JSSE's defaults otherwise */
    SSLContext trustingContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", identity.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    X509Certificate certificate() {
        return identity.certificate();
    }

    @Override
    public void close() throws IOException {
        acceptor.close();
    }
}
