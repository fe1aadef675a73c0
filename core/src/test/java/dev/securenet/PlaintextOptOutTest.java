package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.Lines;
import dev.securenet.testing.LogCapture;
import dev.securenet.testing.Serving;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Plaintext only when asked for, and never silently. */
@Timeout(30)
class PlaintextOptOutTest {

    @Test
    void disableSecurityGivesPlaintextAndWarnsNamingTheEndpoint() throws Exception {
        try (LogCapture log = new LogCapture(); TcpAcceptor acceptor = TcpAcceptor.open()) {
            acceptor.securityProperties().disableSecurity();
            acceptor.bind("127.0.0.1", 0).listen();
            int port = acceptor.localAddress().getPort();
            try (Serving serving = Serving.start(acceptor, Serving.echoLine()); TcpSocket socket = TcpSocket.open()) {
                socket.securityProperties().disableSecurity();
                socket.connect("127.0.0.1", port);

                assertThat(socket.protocol()).isEqualTo("plaintext");
                assertThat(socket.peerCertificates()).isEmpty();
                assertThat(Lines.exchange(socket, "in the clear")).isEqualTo("echo: in the clear");
            }
            assertThat(log.warnings())
                    .anySatisfy(warning -> assertThat(warning).contains("TcpAcceptor on /127.0.0.1:" + port).contains("PLAINTEXT"))
                    .anySatisfy(warning -> assertThat(warning).contains("TcpSocket to 127.0.0.1:" + port).contains("PLAINTEXT"));
        }
    }

    @Test
    void anUnconfiguredSocketIsSecure() throws Exception {
        TcpSocket socket = TcpSocket.open();
        assertThat(socket.securityProperties().isSecurityDisabled()).isFalse();
        assertThat(TcpAcceptor.open().securityProperties().isSecurityDisabled()).isFalse();
        socket.close();
    }
}
