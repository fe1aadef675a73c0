package dev.securenet.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.Attackers;
import dev.securenet.testing.ExternalProcess;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sample app attacked from other loopback addresses, with the numbers the fail-closed
 * work set as targets: 1,000 silent TCP connections from 127.0.0.2, 200 idle connections from
 * 127.0.0.3 re-opened as soon as they are closed, 200 idle TLS connections from 127.0.0.4. Through
 * each, curl from 127.0.0.1 is answered within a second; afterwards the app's threads and file
 * descriptors return to their baseline.
 */
@Timeout(300)
class SampleAppUnderAttackIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HELLO = "<html><h1>hello!</h1></html>";

    @TempDir
    Path temporary;

    @Test
    void curlIsServedWithinASecondThroughEachAttack() throws Exception {
        try (SampleJar sample = SampleJar.start(SampleJar.THIS_JAVA, temporary, List.of())) {
            int port = sample.port();
            sample.process().awaitLine("received response over verified TLS", WAIT);
            long pid = sample.process().pid();
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    Files.newInputStream(temporary.resolve("securenet").resolve("hello-certificate.pem")));
            curlWithinASecond(port);
            long threadsBefore = threads(pid);
            long descriptorsBefore = descriptors(pid);

            List<Socket> attack = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    add(attack, Attackers.connectFrom("127.0.0.2", port));
                }
                curlWithinASecond(port);
            } finally {
                closeAll(attack);
            }

            int reopened = 0;
            long attackEnds = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            try {
                while (System.nanoTime() < attackEnds && reopened < 5_000) {
                    attack.removeIf(Socket::isClosed);
                    while (attack.size() < 200 && reopened < 5_000) {
                        reopened++;
                        add(attack, Attackers.connectFrom("127.0.0.3", port));
                    }
                    closeAll(attack); // and re-opened at once, on the next round
                    attack.clear();
                    if (reopened % 400 == 0) {
                        curlWithinASecond(port);
                    }
                }
                curlWithinASecond(port);
            } finally {
                closeAll(attack);
                attack.clear();
            }

            try {
                for (int i = 0; i < 200; i++) {
                    Socket raw = Attackers.connectFrom("127.0.0.4", port);
                    if (raw != null) {
                        attack.add(raw);
                        try {
                            attack.add(Attackers.handshakeThenSilence(raw, certificate, port));
                        } catch (IOException refused) {
                            // past this address's share: reset, as it should be
                        }
                    }
                }
                curlWithinASecond(port);
            } finally {
                closeAll(attack);
            }

            // the idle TLS connections' handlers end at the read timeout (30 s); then all is back
            awaitAtMost("threads", () -> threads(pid), threadsBefore + 4, Duration.ofSeconds(60));
            awaitAtMost("file descriptors", () -> descriptors(pid), descriptorsBefore + 8, Duration.ofSeconds(60));
            curlWithinASecond(port);
        }
    }

    private static void curlWithinASecond(int port) throws Exception {
        long start = System.nanoTime();
        ExternalProcess curl = ExternalProcess.run(WAIT, "curl", "-sS", "--max-time", "10", "https://127.0.0.1:" + port, "--insecure");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(curl.output()).isEqualTo(HELLO);
        assertThat(took).as("curl from 127.0.0.1, including starting curl").isLessThan(Duration.ofSeconds(1));
    }

    private static void add(List<Socket> sockets, Socket socket) {
        if (socket != null) {
            sockets.add(socket);
        }
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private static void awaitAtMost(String what, LongSupplier current, long bound, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (current.getAsLong() > bound && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling counts the JVM and the kernel settle on their own time
        }
        assertThat(current.getAsLong()).as(what + " of the app after the attacks").isLessThanOrEqualTo(bound);
    }

    private static long threads(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(line -> line.startsWith("Threads:")).mapToLong(line -> Long.parseLong(line.substring(8).strip()))
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long descriptors(long pid) {
        try (var files = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return files.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
