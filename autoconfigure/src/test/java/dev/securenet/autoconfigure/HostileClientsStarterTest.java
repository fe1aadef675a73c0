package dev.securenet.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import dev.securenet.testing.Attackers;
import dev.securenet.testing.Lines;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Written;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter's acceptor and handler under attack from other loopback addresses, as an application
 * runs it: silent connections from one address, then completed TLS connections from another that
 * say nothing and hold their handler threads. A client from 127.0.0.1 is still served within a
 * second, because the starter serves connections on threads of its own (not Boot's eight-thread
 * task executor, which the attack used to exhaust).
 */
@Timeout(120)
class HostileClientsStarterTest {

    @TempDir
    static Path directory;

    private static TestPki pki;
    private static Written server;

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
        server = pki.server().writeTo(directory);
    }

    @Test
    void attackersFromOtherAddressesStarveNobody() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
                        SecurenetAutoConfiguration.class))
                .withBean("echoHandler", ConnectionHandler.class, () -> socket -> {
                    String line = Lines.readLine(socket.getInputStream()); // the starter's read-timeout bounds this
                    socket.getOutputStream().write(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8));
                })
                .withPropertyValues("securenet.acceptors.echo.address=127.0.0.1", "securenet.acceptors.echo.port=0",
                        "securenet.acceptors.echo.certificates=file:" + server.chain(),
                        "securenet.acceptors.echo.private-key=file:" + server.key(),
                        "securenet.acceptors.echo.handler=echoHandler", "securenet.acceptors.echo.read-timeout=20s")
                .run(context -> {
                    int port = context.getBean("echo", TcpAcceptor.class).localAddress().getPort();
                    List<Socket> attack = new ArrayList<>();
                    try {
                        for (int i = 0; i < 500; i++) {
                            Socket silent = Attackers.connectFrom("127.0.0.2", port);
                            if (silent != null) {
                                attack.add(silent);
                            }
                        }
                        for (int i = 0; i < 100; i++) {
                            Socket raw = Attackers.connectFrom("127.0.0.3", port);
                            if (raw != null) {
                                attack.add(raw);
                                try {
                                    attack.add(Attackers.handshakeThenSilence(raw, pki.rootCertificate(), port));
                                } catch (java.io.IOException refused) {
                                    // past this address's share: reset, as it should be
                                }
                            }
                        }
                        // one CPU-starved moment on a busy machine delays one attempt, a starved acceptor every one
                        List<Duration> attempts = new ArrayList<>();
                        for (int i = 0; i < 3; i++) {
                            long start = System.nanoTime();
                            try (TcpSocket client = TcpSocket.open()) {
                                client.securityProperties().useTrustedCertificates(pki.rootPem());
                                client.connect("localhost", port);
                                assertThat(Lines.exchange(client, "served")).isEqualTo("echo: served");
                            }
                            attempts.add(Duration.ofNanos(System.nanoTime() - start));
                        }
                        attempts.sort(null);
                        assertThat(attempts.get(1)).as("the median of " + attempts).isLessThan(Duration.ofSeconds(1));
                        assertThat(attempts.get(2)).as("the slowest of " + attempts).isLessThan(Duration.ofSeconds(5));
                    } finally {
                        for (Socket socket : attack) {
                            socket.close();
                        }
                    }
                });
    }
}
