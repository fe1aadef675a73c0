package dev.securenet.benchmarks;

import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The two TLS servers on 127.0.0.1, each running every connection (by default on a thread started
 * for it) to answer one byte for every {@code ackEvery} bytes it reads (1 for the handshake
 * scenarios, 1 MiB for bulk).
 */
final class TlsServers {

    private TlsServers() {
    }

    /** How a server's application runs each connection it accepts. */
    enum Serving {
        /** On a thread started for it: what both servers do unless a scenario says otherwise. */
        NEW_THREAD,
        /** On the thread that called {@code accept()}, one after another (only for one client thread). */
        ACCEPT_THREAD,
        /** On a thread of a pool that keeps idle threads for reuse. */
        POOL
    }

    static Served securenet(Fixture fixture, int ackEvery) throws IOException {
        return securenet(fixture, ackEvery, Serving.NEW_THREAD);
    }

    /** @param serving how the application runs each connection; the raw server always starts a thread */
    static Served securenet(Fixture fixture, int ackEvery, Serving serving) throws IOException {
        TcpAcceptor acceptor = TcpAcceptor.open();
        acceptor.securityProperties().useCertificateChain(List.of(fixture.identity.certificate()))
                .usePrivateKey(fixture.identity.privateKey());
        // every client comes from 127.0.0.1: the per-address bounds (against floods from one address) are raised
        acceptor.setMaxPendingHandshakes(1024).setMaxPendingHandshakesPerAddress(1024).setBacklogPerAddress(1024);
        acceptor.bind("127.0.0.1", 0).listen(1024);
        ExecutorService pool = pool("securenet-connection");
        Executor executor = executor(serving, "securenet-connection", pool);
        daemon("securenet-server", () -> {
            while (true) {
                TcpSocket socket;
                try {
                    socket = acceptor.accept();
                } catch (IOException closed) {
                    return;
                }
                executor.execute(() -> {
                    try (socket) {
                        acknowledge(socket.getInputStream(), socket.getOutputStream(), ackEvery);
                    } catch (IOException e) {
                        // the client went away
                    }
                });
            }
        });
        return new Served(acceptor.localAddress().getPort(), () -> {
            acceptor.close();
            pool.shutdownNow();
        });
    }

    static Served raw(Fixture fixture, int ackEvery) throws Exception {
        return raw(fixture, ackEvery, Serving.NEW_THREAD);
    }

    /** @param serving how the application runs each connection, its handshake included */
    static Served raw(Fixture fixture, int ackEvery, Serving serving) throws Exception {
        SSLContext context = fixture.rawContext("TLS", true);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 1024, InetAddress.getByName("127.0.0.1"));
        server.setSSLParameters(Fixture.rawParameters(context, false, null));
        ExecutorService pool = pool("raw-connection");
        Executor executor = executor(serving, "raw-connection", pool);
        daemon("raw-server", () -> {
            while (true) {
                Socket accepted;
                try {
                    accepted = server.accept();
                } catch (IOException closed) {
                    return;
                }
                executor.execute(() -> {
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
        return new Served(server.getLocalPort(), () -> {
            server.close();
            pool.shutdownNow();
        });
    }

    /** Daemon threads, kept a minute when idle for the next connection. */
    private static ExecutorService pool(String name) {
        return Executors.newCachedThreadPool(work -> {
            Thread thread = new Thread(work, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    private static Executor executor(Serving serving, String name, ExecutorService pool) {
        return switch (serving) {
            case NEW_THREAD -> work -> daemon(name, work);
            case ACCEPT_THREAD -> Runnable::run;
            case POOL -> pool;
        };
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
