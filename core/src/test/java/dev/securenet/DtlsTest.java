package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.testing.LogCapture;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.UdpRelay;
import dev.securenet.testing.TestPki.Identity;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our DTLS client against our DTLS acceptor. */
@Timeout(60)
class DtlsTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    private static TestPki pki;
    private UdpAcceptor acceptor;

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
    }

    @AfterEach
    void close() {
        if (acceptor != null) {
            acceptor.close();
        }
    }

    static UdpAcceptor acceptor(Identity identity) throws IOException {
        UdpAcceptor acceptor = UdpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(identity.chainPem())).usePrivateKey(identity.keyPem());
        return acceptor.bind("127.0.0.1", 0);
    }

    static void send(UdpSocket socket, String text) throws IOException {
        socket.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String receive(UdpSocket socket) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        int n = socket.receive(buffer, WAIT);
        return n < 0 ? null : new String(buffer.array(), 0, n, StandardCharsets.UTF_8);
    }

    private UdpSocket client() {
        UdpSocket socket = UdpSocket.open();
        socket.securityProperties().useTrustedCertificates(pki.rootPem());
        return socket;
    }

    @Test
    void handshakeVerifiesTheServerAndKeepsMessageBoundaries() throws Exception {
        acceptor = acceptor(pki.server());
        try (UdpSocket client = client()) {
            client.connect("localhost", acceptor.localAddress().getPort());
            assertThat(client.protocol()).isEqualTo("DTLSv1.2");
            try (UdpSocket peer = acceptor.accept(WAIT)) {
                send(client, "one");
                send(client, "two");
                assertThat(receive(peer)).isEqualTo("one");
                assertThat(receive(peer)).isEqualTo("two");
                send(peer, "back");
                assertThat(receive(client)).isEqualTo("back");
                assertThat(peer.remoteAddress()).isEqualTo(client.localAddress());
            }
        }
    }

    @Test
    void oversizedMessageIsRefusedNotSplit() throws Exception {
        acceptor = acceptor(pki.server());
        try (UdpSocket client = client()) {
            client.connect("localhost", acceptor.localAddress().getPort());
            int max = client.maxMessageSize();
            assertThat(max).isBetween(1100, 1200);
            client.send(ByteBuffer.allocate(max));
            assertThatThrownBy(() -> client.send(ByteBuffer.allocate(max + 1))).isInstanceOf(IOException.class)
                    .hasMessageContaining("never split");
            try (UdpSocket peer = acceptor.accept(WAIT)) {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                assertThat(peer.receive(buffer, WAIT)).isEqualTo(max);
            }
        }
    }

    @Test
    void wrongHostAndUntrustedRootAreRefused() throws Exception {
        acceptor = acceptor(pki.server());
        int port = acceptor.localAddress().getPort();
        try (UdpSocket wrongHost = client()) {
            wrongHost.securityProperties().setHost("other.example");
            assertThat(catchThrowableOfType(SecureConnectionException.class, () -> wrongHost.connect("127.0.0.1", port)).reason())
                    .isEqualTo(Reason.HOST_MISMATCH);
        }
        try (UdpSocket untrusted = UdpSocket.open()) {
            assertThat(catchThrowableOfType(SecureConnectionException.class, () -> untrusted.connect("localhost", port)).reason())
                    .isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
        }
    }

    @Test
    void clientCertificatesWithAVerifier() throws Exception {
        Identity clientIdentity = pki.client("device-7");
        Identity server = pki.server();
        acceptor = UdpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem())
                .setClientAuthentication(ClientAuthentication.REQUIRED)
                .useCertificateVerifier(chain -> chain.leaf().equals(clientIdentity.certificate()));
        acceptor.bind("127.0.0.1", 0);
        try (UdpSocket client = client()) {
            client.securityProperties().useCertificates(List.of(clientIdentity.chainPem())).usePrivateKey(clientIdentity.keyPem());
            client.connect("localhost", acceptor.localAddress().getPort());
            try (UdpSocket peer = acceptor.accept(WAIT)) {
                assertThat(peer.peerCertificates()).get().satisfies(chain -> assertThat(chain.leaf()).isEqualTo(clientIdentity.certificate()));
            }
        }
    }

    @Test
    void nothingArrivesWhenNobodyAnswers() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
             UdpSocket client = client()) {
            client.securityProperties().setHandshakeTimeout(Duration.ofMillis(1500));
            client.setRetransmissionTimeout(Duration.ofMillis(200));
            SecureConnectionException failure = catchThrowableOfType(SecureConnectionException.class,
                    () -> client.connect("localhost", silent.getLocalPort()));
            assertThat(failure.reason()).isEqualTo(Reason.HANDSHAKE_TIMEOUT);
        }
    }

    @Test
    void closeNotifyEndsThePeersReceive() throws Exception {
        acceptor = acceptor(pki.server());
        UdpSocket client = client();
        client.connect("localhost", acceptor.localAddress().getPort());
        try (UdpSocket peer = acceptor.accept(WAIT)) {
            client.close();
            assertThat(peer.receive(ByteBuffer.allocate(16), WAIT)).isEqualTo(-1);
        }
    }

    @Test
    void disableSecurityGivesPlainUdpAndWarns() throws Exception {
        try (LogCapture log = new LogCapture()) {
            acceptor = UdpAcceptor.open();
            acceptor.securityProperties().disableSecurity();
            acceptor.bind("127.0.0.1", 0);
            try (UdpSocket client = UdpSocket.open()) {
                client.securityProperties().disableSecurity();
                client.connect("127.0.0.1", acceptor.localAddress().getPort());
                assertThat(client.protocol()).isEqualTo("plaintext");
                send(client, "clear");
                try (UdpSocket peer = acceptor.accept(WAIT)) {
                    assertThat(receive(peer)).isEqualTo("clear");
                    send(peer, "text");
                    assertThat(receive(client)).isEqualTo("text");
                }
            }
            assertThat(log.warnings()).anySatisfy(warning -> assertThat(warning).contains("UdpAcceptor").contains("PLAINTEXT"))
                    .anySatisfy(warning -> assertThat(warning).contains("UdpSocket to 127.0.0.1").contains("PLAINTEXT"));
        }
    }

    @Test
    void laterSocketsResumeTheSessionEvenWhenTheirHelloIsFragmented() throws Exception {
        acceptor = acceptor(pki.server());
        // the server's chain is checked in full handshakes only: a resumed one presents no certificate
        AtomicInteger fullHandshakes = new AtomicInteger();
        CertificateVerifier counting = chain -> fullHandshakes.incrementAndGet() > 0;
        // one relay, so sessions resume (they are kept per host and port) and we see every datagram
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0)) {
            for (int i = 0; i < 3; i++) {
                try (UdpSocket client = client()) {
                    // a small MTU: from the second on, the ClientHello carries a session ticket and must span records
                    client.setMtu(400).securityProperties().useCertificateCheck(counting);
                    client.connect("localhost", relay.port());
                    assertThat(client.isSessionResumed()).as("client %d resumed", i).isEqualTo(i > 0);
                    send(client, "message " + i);
                    try (UdpSocket peer = acceptor.accept(WAIT)) {
                        assertThat(receive(peer)).isEqualTo("message " + i);
                        assertThat(peer.isSessionResumed()).as("served peer %d resumed", i).isEqualTo(i > 0);
                    }
                }
            }
            assertThat(fullHandshakes).as("full handshakes: the later sockets resumed").hasValue(1);
            assertThat(relay.fromClient()).as("a resuming ClientHello spanned records")
                    .anyMatch(DtlsTest::isFragmentOfAClientHello);
        }
    }

    /**
     * A datagram of an earlier association that reaches a new client on the same address (a late
     * retransmission, a reused NAT port) must not end the new handshake: here the earlier server's
     * NewSessionTicket arrives before the new client has seen any ServerHello.
     */
    @Test
    void aStrayTicketFromAnEarlierAssociationEndsNothing() throws Exception {
        acceptor = acceptor(pki.server());
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0)) {
            try (UdpSocket first = client()) {
                first.connect("localhost", relay.port());
                acceptor.accept(WAIT).close();
            }
            byte[] ticket = relay.fromServer().stream()
                    .filter(datagram -> isHandshake(datagram, 4))
                    .findFirst().orElseThrow(() -> new AssertionError("the first handshake issued a ticket"));
            java.util.concurrent.atomic.AtomicBoolean injected = new java.util.concurrent.atomic.AtomicBoolean();
            relay.dropToClient(datagram -> {
                if (injected.compareAndSet(false, true)) {
                    try {
                        relay.injectToClient(ticket); // just before the new handshake's first answer
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return false;
            });
            try (UdpSocket second = client()) {
                second.connect("localhost", relay.port());
                send(second, "unharmed");
                try (UdpSocket peer = acceptor.accept(WAIT)) {
                    assertThat(receive(peer)).isEqualTo("unharmed");
                }
            }
            assertThat(injected).isTrue();
        }
    }

    /** @return whether the datagram starts with an epoch-0 handshake record of this message type (1 ClientHello, 3 HelloVerifyRequest, 4 NewSessionTicket) */
    static boolean isHandshake(byte[] datagram, int messageType) {
        return datagram.length > 13 && datagram[0] == 22 && datagram[3] == 0 && datagram[4] == 0 && datagram[13] == messageType;
    }

    /** @return the record sequence number (48 bits) of the datagram's first record */
    static long recordNumber(byte[] datagram) {
        long number = 0;
        for (int i = 5; i < 11; i++) {
            number = (number << 8) | (datagram[i] & 0xff);
        }
        return number;
    }

    /** @return whether the datagram starts with a ClientHello record that holds only part of the message */
    private static boolean isFragmentOfAClientHello(byte[] datagram) {
        int header = 13;
        if (datagram.length < header + 12 || datagram[0] != 22 || datagram[header] != 1) {
            return false;
        }
        int length = int24(datagram, header + 1);
        int fragmentLength = int24(datagram, header + 9);
        return fragmentLength < length;
    }

    private static int int24(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xff) << 16) | ((bytes[offset + 1] & 0xff) << 8) | (bytes[offset + 2] & 0xff);
    }

    @Test
    void acceptTimesOutWhenNobodyComes() throws Exception {
        acceptor = acceptor(pki.server());
        assertThatThrownBy(() -> acceptor.accept(Duration.ofMillis(200))).isInstanceOf(SocketTimeoutException.class);
    }
}
