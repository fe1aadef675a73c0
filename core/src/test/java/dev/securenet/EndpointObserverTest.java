package dev.securenet;

import static dev.securenet.DtlsTest.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.testing.Lines;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an {@link EndpointObserver} hears from real handshakes and connections, on both sides, TCP
 * and DTLS; and that one which throws breaks nothing.
 */
@Timeout(60)
class EndpointObserverTest {

    private static TestPki pki;
    private static Identity server;

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
        server = pki.server();
    }

    /** Records every event as a line, in order. */
    private static final class Recorder implements EndpointObserver {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public HandshakeObserver handshakeStarted() {
            events.add("started");
            return new HandshakeObserver() {
                @Override
                public void succeeded(String protocol) {
                    events.add("succeeded " + protocol);
                }

                @Override
                public void failed(SecureConnectionException failure) {
                    events.add("failed " + failure.reason());
                }
            };
        }

        @Override
        public void connectionOpened() {
            events.add("opened");
        }

        @Override
        public void connectionClosed() {
            events.add("closed");
        }

        @Override
        public void bytesReceived(long count) {
            events.add("in " + count);
        }

        @Override
        public void bytesSent(long count) {
            events.add("out " + count);
        }

        @Override
        public void cookieSent() {
            events.add("cookie");
        }

        String next() throws InterruptedException {
            String event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(event).as("an event within " + WAIT).isNotNull();
            return event;
        }
    }

    @Test
    void tcpHandshakesConnectionsAndBytesOnBothSides() throws Exception {
        Recorder serverSide = new Recorder();
        Recorder clientSide = new Recorder();
        try (TcpAcceptor acceptor = TcpAcceptor.open()) {
            acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
            acceptor.setObserver(serverSide).bind("127.0.0.1", 0).listen();
            try (TcpSocket client = TcpSocket.open()) {
                client.securityProperties().useTrustedCertificates(pki.rootPem());
                client.setObserver(clientSide).connect("localhost", acceptor.localAddress().getPort());
                try (TcpSocket served = acceptor.accept(WAIT)) {
                    client.getOutputStream().write("ping\n".getBytes());
                    client.getOutputStream().flush();
                    served.setReadTimeout(WAIT);
                    assertThat(served.read(java.nio.ByteBuffer.allocate(64))).isEqualTo(5); // one record, one read
                }
            }
            assertThat(List.of(clientSide.next(), clientSide.next(), clientSide.next(), clientSide.next()))
                    .containsExactly("started", "succeeded TLSv1.3", "opened", "out 5");
            assertThat(clientSide.next()).isEqualTo("closed");
            assertThat(List.of(serverSide.next(), serverSide.next(), serverSide.next())).containsExactly("started", "succeeded TLSv1.3", "opened");
            assertThat(serverSide.next()).isEqualTo("in 5");
            assertThat(serverSide.next()).isEqualTo("closed");

            // a client that does not trust us: its handshake fails with the reason it reports
            try (TcpSocket untrusting = TcpSocket.open()) {
                untrusting.setObserver(clientSide);
                assertThat(catchThrowableOfType(SecureConnectionException.class,
                        () -> untrusting.connect("localhost", acceptor.localAddress().getPort())).reason())
                        .isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
            }
            assertThat(List.of(clientSide.next(), clientSide.next())).containsExactly("started", "failed UNTRUSTED_CERTIFICATE");
            assertThat(serverSide.next()).isEqualTo("started");
            assertThat(serverSide.next()).startsWith("failed ");
            assertThat(clientSide.events).isEmpty(); // no connection was opened, so none closes
        }
    }

    @Test
    void anObserverThatThrowsBreaksNothing() throws Exception {
        EndpointObserver throwing = new EndpointObserver() {
            @Override
            public HandshakeObserver handshakeStarted() {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void connectionOpened() {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void bytesSent(long count) {
                throw new IllegalStateException("observer bug");
            }
        };
        try (TcpAcceptor acceptor = TcpAcceptor.open()) {
            acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
            acceptor.setObserver(throwing).bind("127.0.0.1", 0).listen();
            try (TcpSocket client = TcpSocket.open()) {
                client.securityProperties().useTrustedCertificates(pki.rootPem());
                client.setObserver(throwing).connect("localhost", acceptor.localAddress().getPort());
                try (TcpSocket served = acceptor.accept(WAIT)) {
                    client.getOutputStream().write("still works\n".getBytes());
                    client.getOutputStream().flush();
                    assertThat(Lines.readLine(served.getInputStream())).isEqualTo("still works");
                }
            }
        }
    }

    @Test
    void dtlsCookiesHandshakesAssociationsAndBytes() throws Exception {
        Recorder serverSide = new Recorder();
        Recorder clientSide = new Recorder();
        try (UdpAcceptor acceptor = UdpAcceptor.open()) {
            acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
            acceptor.setObserver(serverSide).bind("127.0.0.1", 0);
            try (UdpSocket client = UdpSocket.open()) {
                client.securityProperties().useTrustedCertificates(pki.rootPem());
                client.setObserver(clientSide).connect("localhost", acceptor.localAddress().getPort());
                try (UdpSocket served = acceptor.accept(WAIT)) {
                    DtlsTest.send(client, "ping");
                    assertThat(DtlsTest.receive(served)).isEqualTo("ping");
                }
                assertThat(List.of(clientSide.next(), clientSide.next(), clientSide.next(), clientSide.next()))
                        .containsExactly("started", "succeeded DTLSv1.2", "opened", "out 4");
            }
            assertThat(clientSide.next()).isEqualTo("closed");
            assertThat(List.of(serverSide.next(), serverSide.next(), serverSide.next(), serverSide.next(), serverSide.next()))
                    .containsExactly("cookie", "started", "succeeded DTLSv1.2", "opened", "in 4");
            assertThat(serverSide.next()).isEqualTo("closed");
        }
    }
}
