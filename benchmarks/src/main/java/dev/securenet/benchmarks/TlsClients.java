package dev.securenet.benchmarks;

import dev.securenet.TcpSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The two TLS clients: securenet's {@link TcpSocket} and a raw JSSE {@link SSLSocket}, each as a
 * workload against a server's port.
 */
final class TlsClients {

    /** One connection's work; returns whether its session was resumed. */
    @FunctionalInterface
    interface Connection {
        boolean run(String host, int port) throws Exception;
    }

    static final int BULK_WRITE = 16 * 1024;
    static final int MIB = 1 << 20;

    private TlsClients() {
    }

    /** securenet: connect, one byte each way, close. */
    static Connection securenet(Fixture fixture) {
        return (host, port) -> {
            try (TcpSocket socket = TcpSocket.open()) {
                socket.securityProperties().useTrustedCertificates(List.of(fixture.identity.certificate()));
                socket.connect(host, port);
                socket.getOutputStream().write(1);
                socket.getOutputStream().flush();
                if (socket.getInputStream().read() < 0) {
                    throw new IllegalStateException("no answer");
                }
                return socket.isSessionResumed();
            }
        };
    }

    /** Raw JSSE: the same with one context (and so one session cache) for all connections. */
    static Connection raw(Fixture fixture) throws Exception {
        SSLContext context = fixture.rawContext("TLS", false);
        return (host, port) -> {
            long start = System.currentTimeMillis();
            try (SSLSocket socket = rawSocket(context, host, port)) {
                socket.getOutputStream().write(1);
                socket.getOutputStream().flush();
                if (socket.getInputStream().read() < 0) {
                    throw new IllegalStateException("no answer");
                }
                return socket.getSession().getCreationTime() < start; // a resumed session keeps its first handshake's time
            }
        };
    }

    static SSLSocket rawSocket(SSLContext context, String host, int port) throws Exception {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port);
        try {
            socket.setTcpNoDelay(true);
            socket.setSSLParameters(Fixture.rawParameters(context, false, host));
            socket.startHandshake();
            return socket;
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    /** {@code threads} clients making connections one after another until the time is up. */
    static Side handshakes(Served server, Connection connection, Fixture fixture, int threads) {
        return new Side() {
            @Override
            public Result run(Duration duration) throws Exception {
                AtomicLong done = new AtomicLong();
                AtomicLong resumed = new AtomicLong();
                long deadline = System.nanoTime() + duration.toNanos();
                long start = System.nanoTime();
                List<Thread> clients = new ArrayList<>();
                List<Exception> failures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    Thread client = new Thread(() -> {
                        try {
                            for (long i = offset; System.nanoTime() < deadline; i++) {
                                if (connection.run(fixture.host(i), server.port(i))) {
                                    resumed.incrementAndGet();
                                }
                                done.incrementAndGet();
                            }
                        } catch (Exception e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                        }
                    }, "client-" + t);
                    clients.add(client);
                    client.start();
                }
                for (Thread client : clients) {
                    client.join();
                }
                if (!failures.isEmpty()) {
                    throw failures.get(0);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(done.get() / seconds, done.get() == 0 ? 0 : (double) resumed.get() / done.get(), 0);
            }

            @Override
            public void close() throws Exception {
                server.close();
            }
        };
    }

    /** One connection sending 1 MiB at a time in 16 KiB writes, each MiB acknowledged. */
    static Side bulk(Served server, AutoCloseable connection, OutputStream output, InputStream input) {
        byte[] chunk = new byte[BULK_WRITE];
        return new Side() {
            @Override
            public Result run(Duration duration) throws Exception {
                long start = System.nanoTime();
                long deadline = start + duration.toNanos();
                long mebibytes = 0;
                while (System.nanoTime() < deadline) {
                    for (int written = 0; written < MIB; written += BULK_WRITE) {
                        output.write(chunk);
                    }
                    output.flush();
                    if (input.read() < 0) {
                        throw new IllegalStateException("the server closed");
                    }
                    mebibytes++;
                }
                return new Result(mebibytes / ((System.nanoTime() - start) / 1e9), 0, 0);
            }

            @Override
            public void close() throws Exception {
                connection.close();
                server.close();
            }
        };
    }
}
