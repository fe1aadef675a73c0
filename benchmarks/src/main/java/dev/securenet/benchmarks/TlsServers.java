package dev.securenet.benchmarks;

import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The two TLS servers on 127.0.0.1, each with a thread per connection that answers one byte for
 * every {@code ackEvery} bytes it reads (1 for the handshake scenarios, 1 MiB for bulk).
 */
final class TlsServers {

    private TlsServers() {
    }

    static Served securenet(Fixture fixture, int ackEvery) throws IOException {
        return securenet(fixture, ackEvery, false);
    }

    /**
     * @param onAcceptThread serve each connection on the thread that called {@code accept()}, one
     *                       after another, instead of on a thread started for it: what the thread
     *                       start after the handshake costs (only for one client thread)
     */
    static Served securenet(Fixture fixture, int ackEvery, boolean onAcceptThread) throws IOException {
        TcpAcceptor acceptor = TcpAcceptor.open();
        acceptor.securityProperties().useCertificateChain(List.of(fixture.identity.certificate()))
                .usePrivateKey(fixture.identity.privateKey());
        // every client comes from 127.0.0.1: the per-address bounds (against floods from one address) are raised
        acceptor.setMaxPendingHandshakes(1024).setMaxPendingHandshakesPerAddress(1024).setBacklogPerAddress(1024);
        acceptor.bind("127.0.0.1", 0).listen(1024);
        daemon("securenet-server", () -> {
            while (true) {
                TcpSocket socket;
                try {
                    socket = acceptor.accept();
                } catch (IOException closed) {
                    return;
                }
                Runnable serve = () -> {
                    try (socket) {
                        acknowledge(socket.getInputStream(), socket.getOutputStream(), ackEvery);
                    } catch (IOException e) {
                        // the client went away
                    }
                };
                if (onAcceptThread) {
                    serve.run();
                } else {
                    daemon("securenet-connection", serve);
                }
            }
        });
        return new Served(acceptor.localAddress().getPort(), acceptor);
    }

    static Served raw(Fixture fixture, int ackEvery) throws Exception {
        SSLContext context = fixture.rawContext("TLS", true);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1024, InetAddress.getByName("127.0.0.1"));
        server.setSSLParameters(Fixture.rawParameters(context, false, null));
        daemon("raw-server", () -> {
            while (true) {
                Socket accepted;
                try {
                    accepted = server.accept();
                } catch (IOException closed) {
                    return;
                }
                daemon("raw-connection", () -> {
                    try (SSLSocket socket = (SSLSocket) accepted) {
                        socket.setTcpNoDelay(true);
                        socket.startHandshake();
                        acknowledge(socket.getInputStream(), socket.getOutputStream(), ackEvery);
                    } catch (IOException e) {
                        // the client went away
                    }
                });
            }
        });
        return new Served(server.getLocalPort(), server);
    }

    private static void acknowledge(InputStream input, OutputStream output, int ackEvery) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long received = 0;
        for (int n = input.read(buffer); n > 0; n = input.read(buffer)) {
            received += n;
            while (received >= ackEvery) {
                received -= ackEvery;
                output.write(1);
                output.flush();
            }
        }
    }

    static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }
}
