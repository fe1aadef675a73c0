package dev.securenet.benchmarks;

import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * What an idle TLS connection costs a server: the server runs in a JVM of its own, with a thread
 * per connection blocked in a read (platform or virtual threads), securenet's acceptor or a raw
 * {@code SSLServerSocket}; this process opens the connections with raw JSSE, and the server reports
 * heap (after a full GC), resident memory and threads before and after. The same server echoes
 * what it reads, for {@link EchoLatency}.
 */
final class IdleConnections {

    private IdleConnections() {
    }

    /** @return the server JVM, started: it prints PORT, MEASURED and CERTIFICATE lines, then serves */
    static Process startServer(String kind, boolean virtual) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), SideBySide.class.getName(), "--serve-idle", kind));
        if (virtual) {
            command.add("--virtual");
        }
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** @return a table row: per connection heap, RSS, and threads, for each server */
    static String measure(String kind, boolean virtual, int connections) throws Exception {
        Process server = startServer(kind, virtual);
        List<SSLSocket> open = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             OutputStream control = server.getOutputStream()) {
            int port = Integer.parseInt(expect(lines, "PORT"));
            double[] before = numbers(expect(lines, "MEASURED"));
            Fixture fixture = new Fixture(false);
            fixture.trust(expect(lines, "CERTIFICATE"));
            SSLContext context = fixture.rawContext("TLS", false);
            for (int i = 0; i < connections; i++) {
                SSLSocket socket = TlsClients.rawSocket(context, "localhost", port);
                socket.getOutputStream().write(1); // the server's thread has read once and waits for more
                socket.getOutputStream().flush();
                open.add(socket);
            }
            control.write("MEASURE\n".getBytes(StandardCharsets.US_ASCII));
            control.flush();
            double[] after = numbers(expect(lines, "MEASURED"));
            return String.format(Locale.ROOT, "| %s, %s threads | %d | %.1f | %.1f | %.2f |", kind, virtual ? "virtual" : "platform",
                    connections, (after[0] - before[0]) / connections / 1024, (after[1] - before[1]) / connections / 1024,
                    (after[2] - before[2]) / connections);
        } finally {
            for (SSLSocket socket : open) {
                socket.close();
            }
            server.destroyForcibly().waitFor();
        }
    }

    static String expect(BufferedReader lines, String prefix) throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith(prefix + " ")) {
                return line.substring(prefix.length() + 1);
            }
        }
        throw new IOException("the server ended before it said " + prefix);
    }

    private static double[] numbers(String line) {
        return java.util.Arrays.stream(line.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    /** The server JVM: serves until its input ends, measuring when asked. */
    static void serve(String kind, boolean virtual) throws Exception {
        Fixture fixture = new Fixture(false);
        int port;
        if (kind.equals("securenet")) {
            TcpAcceptor acceptor = TcpAcceptor.open();
            acceptor.securityProperties().useCertificateChain(List.of(fixture.identity.certificate()))
                    .usePrivateKey(fixture.identity.privateKey());
            acceptor.setMaxPendingHandshakes(1024).setMaxPendingHandshakesPerAddress(1024).setBacklogPerAddress(1024);
            acceptor.bind("127.0.0.1", 0).listen(1024);
            port = acceptor.localAddress().getPort();
            TlsServers.daemon("accept", () -> {
                while (true) {
                    try {
                        TcpSocket socket = acceptor.accept();
                        start(virtual, () -> {
                            try {
                                echo(socket.getInputStream(), socket.getOutputStream(), socket);
                            } catch (IOException e) {
                                // the client went away
                            }
                        });
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        } else {
            SSLContext context = fixture.rawContext("TLS", true);
            SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(0, 1024, InetAddress.getByName("127.0.0.1"));
            server.setSSLParameters(Fixture.rawParameters(context, false, null));
            port = server.getLocalPort();
            TlsServers.daemon("accept", () -> {
                while (true) {
                    try {
                        SSLSocket socket = (SSLSocket) server.accept();
                        start(virtual, () -> {
                            try {
                                socket.setTcpNoDelay(true);
                                socket.startHandshake();
                                echo(socket.getInputStream(), socket.getOutputStream(), socket);
                            } catch (IOException e) {
                                // the client went away
                            }
                        });
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }
        System.out.println("PORT " + port);
        System.out.println("MEASURED " + usage());
        System.out.println("CERTIFICATE " + java.util.Base64.getEncoder().encodeToString(fixture.identity.certificate().getEncoded()));
        System.out.flush();
        BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line = control.readLine(); line != null; line = control.readLine()) {
            System.out.println("MEASURED " + usage());
            System.out.flush();
        }
        System.exit(0);
    }

    /** Sends back what arrives: an idle client sent one byte and then nothing. */
    private static void echo(InputStream input, OutputStream output, AutoCloseable socket) {
        byte[] buffer = new byte[1024];
        try (socket) {
            for (int n = input.read(buffer); n >= 0; n = input.read(buffer)) {
                output.write(buffer, 0, n);
                output.flush();
            }
        } catch (Exception e) {
            // the client went away
        }
    }

    private static void start(boolean virtual, Runnable work) {
        if (!virtual) {
            TlsServers.daemon("connection", work);
            return;
        }
        try {
            Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, work); // JDK 21+
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21 or later", e);
        }
    }

    /** @return heap used after a full GC and resident memory, in bytes, and live threads */
    private static String usage() throws IOException, InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return heap + " " + rss + " " + ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
