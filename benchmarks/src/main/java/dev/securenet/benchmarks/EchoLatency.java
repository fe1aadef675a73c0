package dev.securenet.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Echo latency with many active clients: the server of {@link IdleConnections} (its own JVM,
 * securenet's acceptor or a raw {@code SSLServerSocket}, platform or virtual threads) echoes; this
 * process opens the connections with raw JSSE, then every client sends a 64-byte message every
 * {@value #PERIOD_MILLIS} ms and times the echo. Clients start spread over one period, so the
 * server sees a steady {@code clients * 1000 / PERIOD_MILLIS} messages a second, not bursts.
 */
final class EchoLatency {

    static final int PERIOD_MILLIS = 100;
    private static final int MESSAGE = 64;
    private static final int WARMUP_SECONDS = 3;

    private EchoLatency() {
    }

    /** @return a table row: server, clients, messages/s, p50, p99 and max latency in ms */
    static String measure(String kind, boolean virtual, int clients, int seconds) throws Exception {
        Process server = IdleConnections.startServer(kind, virtual);
        List<SSLSocket> open = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            int port = Integer.parseInt(IdleConnections.expect(lines, "PORT"));
            IdleConnections.expect(lines, "MEASURED");
            Fixture fixture = new Fixture(false);
            fixture.trust(IdleConnections.expect(lines, "CERTIFICATE"));
            SSLContext context = fixture.rawContext("TLS", false);
            for (int i = 0; i < clients; i++) {
                open.add(TlsClients.rawSocket(context, "localhost", port));
            }
            long start = System.nanoTime() + 200_000_000L;
            long measureFrom = start + WARMUP_SECONDS * 1_000_000_000L;
            long end = measureFrom + seconds * 1_000_000_000L;
            long[][] samples = new long[clients][];
            CountDownLatch done = new CountDownLatch(clients);
            List<Exception> failures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                long first = start + (long) i * PERIOD_MILLIS * 1_000_000L / clients;
                TlsServers.daemon("echo-client-" + i, () -> {
                    try {
                        samples[client] = run(open.get(client), first, measureFrom, end);
                    } catch (Exception e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            long[] all = Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
            return String.format(Locale.ROOT, "| %s, %s threads | %d | %.0f | %.2f | %.2f | %.2f |", kind,
                    virtual ? "virtual" : "platform", clients, all.length / (double) seconds,
                    percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6, all[all.length - 1] / 1e6);
        } finally {
            for (SSLSocket socket : open) {
                socket.close();
            }
            server.destroyForcibly().waitFor();
        }
    }

    /** One client: a message each period from {@code first}, latencies kept from {@code measureFrom}. */
    private static long[] run(SSLSocket socket, long first, long measureFrom, long end) throws IOException {
        OutputStream output = socket.getOutputStream();
        InputStream input = socket.getInputStream();
        byte[] message = new byte[MESSAGE];
        byte[] echo = new byte[MESSAGE];
        long[] latencies = new long[(int) ((end - measureFrom) / (PERIOD_MILLIS * 1_000_000L)) + 2];
        int count = 0;
        for (long due = first; due < end; due += PERIOD_MILLIS * 1_000_000L) {
            LockSupport.parkNanos(due - System.nanoTime());
            long sent = System.nanoTime();
            output.write(message);
            output.flush();
            for (int read = 0; read < MESSAGE; ) {
                int n = input.read(echo, read, MESSAGE - read);
                if (n < 0) {
                    throw new IOException("the server closed");
                }
                read += n;
            }
            // timed from when the message was due, so a client held up by a slow echo counts the wait
            long latency = System.nanoTime() - Math.min(due, sent);
            if (sent >= measureFrom && count < latencies.length) {
                latencies[count++] = latency;
            }
        }
        return Arrays.copyOf(latencies, count);
    }

    private static double percentile(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
}
