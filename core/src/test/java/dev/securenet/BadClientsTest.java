package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.testing.Lines;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that misbehave fail only their own connection, with a typed error, and the acceptor
 * goes on serving the next one.
 */
@Timeout(60)
class BadClientsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TestPki PKI = TestPki.create();
    private static final Identity SERVER = PKI.server();

    private TcpAcceptor acceptor;

    @BeforeEach
    void listen() throws IOException {
        acceptor = TcpAcceptor.open();
        acceptor.securityProperties()
                .useCertificates(List.of(SERVER.chainPem()))
                .usePrivateKey(SERVER.keyPem())
                .setHandshakeTimeout(Duration.ofSeconds(2));
        acceptor.bind("127.0.0.1", 0).listen();
    }

    @AfterEach
    void close() throws IOException {
        acceptor.close();
    }

    private Socket rawClient() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), acceptor.localAddress().getPort());
    }

    private SecureConnectionException nextAcceptFails() {
        SecureConnectionException failure = catchThrowableOfType(SecureConnectionException.class, () -> acceptor.accept(WAIT));
        assertThat(failure).as("accept() must fail with a SecureConnectionException").isNotNull();
        return failure;
    }

    /** A well-behaved client still gets through: the acceptor is unharmed. */
    private void goodClientIsServed() throws IOException {
        try (TcpSocket client = TcpSocket.open()) {
            client.securityProperties().useTrustedCertificates(PKI.rootPem());
            client.connect("localhost", acceptor.localAddress().getPort());
            try (TcpSocket served = acceptor.accept(WAIT)) {
                client.getOutputStream().write("still there?\n".getBytes(StandardCharsets.UTF_8));
                served.setReadTimeout(WAIT);
                assertThat(Lines.readLine(served.getInputStream())).isEqualTo("still there?");
            }
        }
    }

    @Test
    void plaintextHttpClient() throws IOException {
        try (Socket http = rawClient()) {
            http.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            SecureConnectionException failure = nextAcceptFails();

            assertThat(failure.reason()).isEqualTo(Reason.PEER_NOT_TLS);
            assertThat(failure).hasMessageContaining("plaintext");
            http.setSoTimeout(10_000);
            // a fatal unexpected_message alert, byte for byte what the JDK's own SSLServerSocket sends
            assertThat(http.getInputStream().readAllBytes()).as("an alert, then the connection closes")
                    .containsExactly(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a);
        }
        goodClientIsServed();
    }

    @Test
    void sslVersion2HelloGetsAHandshakeFailureAlert() throws IOException {
        try (Socket old = rawClient()) {
            // an SSLv2-format ClientHello: a two-byte length with the high bit set, then type 1
            byte[] hello = new byte[48];
            hello[0] = (byte) 0x80;
            hello[1] = 46;
            hello[2] = 0x01;
            hello[3] = 0x03;
            hello[4] = 0x01;
            old.getOutputStream().write(hello);

            assertThat(nextAcceptFails().reason()).isEqualTo(Reason.PEER_NOT_TLS);
            old.setSoTimeout(10_000);
            // a fatal handshake_failure alert, as the JDK's own SSLServerSocket sends it
            assertThat(old.getInputStream().readAllBytes()).containsExactly(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28);
        }
        goodClientIsServed();
    }

    @Test
    void garbageInsideATlsRecord() throws IOException {
        try (Socket garbage = rawClient()) {
            byte[] bytes = new byte[64];
            // a well-formed handshake record header for 59 bytes of nonsense
            bytes[0] = 0x16;
            bytes[1] = 0x03;
            bytes[2] = 0x01;
            bytes[3] = 0x00;
            bytes[4] = 59;
            for (int i = 5; i < bytes.length; i++) {
                bytes[i] = (byte) (i * 37);
            }
            garbage.getOutputStream().write(bytes);

            assertThat(nextAcceptFails().reason()).isEqualTo(Reason.HANDSHAKE_FAILED);
        }
        goodClientIsServed();
    }

    @Test
    void clientThatNeverSpeaksTimesOut() throws IOException {
        try (Socket silent = rawClient()) {
            SecureConnectionException failure = nextAcceptFails();

            assertThat(failure.reason()).isEqualTo(Reason.HANDSHAKE_TIMEOUT);
            assertThat(failure).hasMessageContaining("2000 ms");
        }
        goodClientIsServed();
    }

    @Test
    void clientThatTricklesItsHelloTimesOutAsAWhole() throws Exception {
        try (Socket trickle = rawClient()) {
            OutputStream output = trickle.getOutputStream();
            output.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}); // a record header announcing 512 bytes
            output.flush();
            // one more byte each time the server has not yet given up: a per-read timeout would never fire
            Thread feeder = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        output.write(1);
                        output.flush();
                        Thread.sleep(100); // pacing the misbehaving peer, not synchronising the test
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: expected
                }
            });
            feeder.setDaemon(true);
            feeder.start();

            assertThat(nextAcceptFails().reason()).isEqualTo(Reason.HANDSHAKE_TIMEOUT);
            feeder.interrupt();
        }
        goodClientIsServed();
    }

    @Test
    void clientThatDisconnectsMidHandshake() throws IOException {
        try (Socket quitter = rawClient()) {
            quitter.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01});
            quitter.getOutputStream().flush();
        }

        assertThat(nextAcceptFails().reason()).isEqualTo(Reason.HANDSHAKE_FAILED);
        goodClientIsServed();
    }

    @Test
    void clientThatConnectsAndLeaves() throws IOException {
        rawClient().close();

        SecureConnectionException failure = nextAcceptFails();

        assertThat(failure.reason()).isEqualTo(Reason.HANDSHAKE_FAILED);
        assertThat(failure).hasMessageContaining("before sending a TLS ClientHello");
        goodClientIsServed();
    }

    @Test
    void silentClientDoesNotHoldUpTheClientsBehindIt() throws IOException {
        acceptor.close();
        acceptor = TcpAcceptor.open();
        acceptor.securityProperties()
                .useCertificates(List.of(SERVER.chainPem()))
                .usePrivateKey(SERVER.keyPem())
                .setHandshakeTimeout(Duration.ofSeconds(50)); // longer than the test may run
        acceptor.bind("127.0.0.1", 0).listen();

        try (Socket silent = rawClient(); Socket alsoSilent = rawClient()) {
            // both silent clients are ahead in the queue, yet the good one is handed out first
            goodClientIsServed();
            goodClientIsServed();
        }
    }
}
