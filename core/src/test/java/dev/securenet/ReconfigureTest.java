package dev.securenet;

import static dev.securenet.DtlsTest.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securenet.testing.Lines;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rotating a listening acceptor's certificate and key: new handshakes get the new identity at once,
 * connections already established go on, and a bad replacement changes nothing.
 */
@Timeout(60)
class ReconfigureTest {

    private static TestPki pki;
    private static Identity first;
    private static Identity second;

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
        first = pki.server();
        second = pki.server();
    }

    private static void use(SecurityProperties security, Identity identity) {
        security.useCertificates(List.of(identity.chainPem())).usePrivateKey(identity.keyPem());
    }

    private static TcpSocket connect(TcpAcceptor acceptor) throws Exception {
        TcpSocket socket = TcpSocket.open();
        socket.securityProperties().useTrustedCertificates(pki.rootPem());
        socket.connect("localhost", acceptor.localAddress().getPort());
        return socket;
    }

    private static X509Certificate leafOf(TcpSocket socket) throws Exception {
        return socket.peerCertificates().orElseThrow().certificates().get(0);
    }

    private static void line(TcpSocket from, TcpSocket to, String text) throws Exception {
        from.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
        from.getOutputStream().flush();
        to.setReadTimeout(WAIT);
        assertThat(Lines.readLine(to.getInputStream())).isEqualTo(text);
    }

    @Test
    void tcpAcceptorServesTheNewIdentityToNewHandshakesAndKeepsEstablishedConnections() throws Exception {
        try (TcpAcceptor acceptor = TcpAcceptor.open()) {
            use(acceptor.securityProperties(), first);
            acceptor.bind("127.0.0.1", 0).listen();
            try (TcpSocket before = connect(acceptor); TcpSocket servedBefore = acceptor.accept(WAIT)) {
                assertThat(leafOf(before)).isEqualTo(first.certificate());

                acceptor.reconfigure(security -> use(security, second));

                try (TcpSocket after = connect(acceptor); TcpSocket servedAfter = acceptor.accept(WAIT)) {
                    assertThat(leafOf(after)).isEqualTo(second.certificate());
                    line(after, servedAfter, "new");
                }
                line(before, servedBefore, "still here"); // established under the old identity, untouched
                line(servedBefore, before, "and back");
            }

            // a key that does not belong to the chain: refused before anything changes
            assertThatThrownBy(() -> acceptor.reconfigure(security -> security
                    .useCertificates(List.of(first.chainPem())).usePrivateKey(second.keyPem())))
                    .isInstanceOf(KeyMaterialException.class);
            // incomplete: refused too
            assertThatThrownBy(() -> acceptor.reconfigure(security -> security.useCertificates(List.of(first.chainPem()))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("private key");
            // plaintext takes a new acceptor
            assertThatThrownBy(() -> acceptor.reconfigure(SecurityProperties::disableSecurity))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("between security and plaintext");
            try (TcpSocket later = connect(acceptor); TcpSocket served = acceptor.accept(WAIT)) {
                assertThat(leafOf(later)).isEqualTo(second.certificate());
                assertThat(acceptor.securityProperties().certificateChain().get(0)).isEqualTo(second.certificate());
            }
        }
    }

    @Test
    void udpAcceptorServesTheNewIdentityToNewHandshakesAndKeepsEstablishedPeers() throws Exception {
        try (UdpAcceptor acceptor = UdpAcceptor.open()) {
            use(acceptor.securityProperties(), first);
            acceptor.bind("127.0.0.1", 0);
            try (UdpSocket before = dtlsClient(acceptor); UdpSocket servedBefore = acceptor.accept(WAIT)) {
                assertThat(before.peerCertificates().orElseThrow().certificates().get(0)).isEqualTo(first.certificate());

                acceptor.reconfigure(security -> use(security, second));
                assertThatThrownBy(() -> acceptor.reconfigure(security -> security
                        .useCertificates(List.of(first.chainPem())).usePrivateKey(second.keyPem())))
                        .isInstanceOf(KeyMaterialException.class);

                try (UdpSocket after = dtlsClient(acceptor); UdpSocket servedAfter = acceptor.accept(WAIT)) {
                    assertThat(after.peerCertificates().orElseThrow().certificates().get(0)).isEqualTo(second.certificate());
                }
                DtlsTest.send(before, "still here");
                assertThat(DtlsTest.receive(servedBefore)).isEqualTo("still here");
                DtlsTest.send(servedBefore, "and back");
                assertThat(DtlsTest.receive(before)).isEqualTo("and back");
            }
        }
    }

    private static UdpSocket dtlsClient(UdpAcceptor acceptor) throws Exception {
        UdpSocket socket = UdpSocket.open();
        socket.securityProperties().useTrustedCertificates(pki.rootPem());
        socket.connect("localhost", acceptor.localAddress().getPort());
        return socket;
    }
}
