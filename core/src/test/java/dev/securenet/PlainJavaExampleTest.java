package dev.securenet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's plain-Java example, as written there, and what it relies on. */
@Timeout(30)
class PlainJavaExampleTest {

    @Test
    void theReadmeExampleRuns() throws Exception {
        SelfSignedIdentity identity = SelfSignedIdentity.forLocalhost(Duration.ofDays(1));

        try (TcpAcceptor acceptor = TcpAcceptor.open()) {
            acceptor.securityProperties()
                    .useCertificateChain(List.of(identity.certificate()))
                    .usePrivateKey(identity.privateKey());
            acceptor.bind("127.0.0.1", 0).listen();

            try (TcpSocket client = TcpSocket.open()) {
                client.securityProperties().useTrustedCertificates(identity.certificatePem());
                client.connect("localhost", acceptor.localAddress().getPort());
                client.getOutputStream().write("hello\n".getBytes(UTF_8));
                try (TcpSocket served = acceptor.accept(Duration.ofSeconds(10))) {
                    assertThat(new String(served.getInputStream().readNBytes(6), UTF_8)).isEqualTo("hello\n");
                }
            }
        }
    }

    @Test
    void aSelfSignedIdentityIsTrustedByNobodyUnlessTold() throws Exception {
        SelfSignedIdentity identity = SelfSignedIdentity.forLocalhost(Duration.ofDays(1));
        List<String> names = identity.certificate().getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList();
        assertThat(names).containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        try (TcpAcceptor acceptor = TcpAcceptor.open()) {
            acceptor.securityProperties().useCertificateChain(List.of(identity.certificate())).usePrivateKey(identity.privateKey());
            acceptor.bind("127.0.0.1", 0).listen();
            try (TcpSocket client = TcpSocket.open()) {
                assertThatThrownBy(() -> client.connect("localhost", acceptor.localAddress().getPort()))
                        .isInstanceOf(SecureConnectionException.class)
                        .extracting(failure -> ((SecureConnectionException) failure).reason())
                        .isEqualTo(SecureConnectionException.Reason.UNTRUSTED_CERTIFICATE);
            }
        }
    }
}
