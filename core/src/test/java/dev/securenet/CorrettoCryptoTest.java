package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.CorrettoCryptoForTheSuite;
import dev.securenet.testing.Lines;
import dev.securenet.testing.Serving;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link CorrettoCrypto#install()}: first in the JVM's providers, so that the JDK's TLS and DTLS
 * take their primitives from it, and our endpoints work on it. The whole suite also runs with it
 * installed (the core pom's "corretto" execution); this test leaves the JVM as it found it.
 */
@Timeout(60)
class CorrettoCryptoTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NAME = "AmazonCorrettoCryptoProvider";

    @AfterEach
    void uninstallUnlessTheSuiteRunsOnIt() {
        if (!Boolean.getBoolean(CorrettoCryptoForTheSuite.PROPERTY)) {
            Security.removeProvider(NAME);
        }
    }

    @Test
    void installedFirstItServesTheJdksTlsAndDtlsAndASecondInstallChangesNothing() throws Exception {
        String installed = CorrettoCrypto.install();
        assertThat(installed).startsWith(NAME);
        assertThat(CorrettoCrypto.isInstalled()).isTrue();
        assertThat(Security.getProviders()[0].getName()).isEqualTo(NAME);
        int providers = Security.getProviders().length;
        assertThat(CorrettoCrypto.install()).isEqualTo(installed);
        assertThat(Security.getProviders()).hasSize(providers);
        // what a TLS 1.3 handshake with a P-256 certificate and AES-GCM asks the JVM for
        assertThat(KeyAgreement.getInstance("ECDH").getProvider().getName()).isEqualTo(NAME);
        assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isEqualTo(NAME);
        assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo(NAME);

        TestPki pki = TestPki.create();
        Identity server = pki.server("EC");
        try (TcpAcceptor acceptor = TcpAcceptor.open()) {
            acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
            acceptor.bind("127.0.0.1", 0).listen();
            try (Serving serving = Serving.start(acceptor, Serving.echoLine()); TcpSocket socket = TcpSocket.open()) {
                socket.securityProperties().useTrustedCertificates(pki.rootPem());
                socket.connect("localhost", serving.port());
                assertThat(Lines.exchange(socket, "aws-lc")).isEqualTo("echo: aws-lc");
            }
        }
        try (UdpAcceptor acceptor = UdpAcceptor.open()) {
            acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
            acceptor.bind("127.0.0.1", 0);
            try (UdpSocket socket = UdpSocket.open()) {
                socket.securityProperties().useTrustedCertificates(pki.rootPem());
                socket.connect("localhost", acceptor.localAddress().getPort());
                try (UdpSocket peer = acceptor.accept(WAIT)) {
                    socket.send(ByteBuffer.wrap("datagram".getBytes(StandardCharsets.UTF_8)));
                    ByteBuffer received = ByteBuffer.allocate(64);
                    int n = peer.receive(received, WAIT);
                    assertThat(new String(received.array(), 0, n, StandardCharsets.UTF_8)).isEqualTo("datagram");
                }
            }
        }
    }
}
