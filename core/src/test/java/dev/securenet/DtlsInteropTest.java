package dev.securenet;

import static dev.securenet.DtlsTest.WAIT;
import static dev.securenet.DtlsTest.receive;
import static dev.securenet.DtlsTest.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securenet.testing.ExternalProcess;
import dev.securenet.testing.FreePort;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import dev.securenet.testing.TestPki.Written;
import dev.securenet.testing.UdpRelay;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our DTLS endpoints against two independent stacks, OpenSSL and GnuTLS, both ways. GnuTLS sends
 * ClientKeyExchange, ChangeCipherSpec and Finished in one datagram, which catches a one-record
 * unwrap; OpenSSL's {@code -listen} does its own cookie exchange.
 */
@Timeout(90)
class DtlsInteropTest {

    @TempDir
    static Path directory;

    private static TestPki pki;
    private static Identity serverIdentity;
    private static Written server;
    private static Path root;

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
        serverIdentity = pki.server();
        server = serverIdentity.writeTo(directory);
        root = pki.writeRootTo(directory);
    }

    private static UdpSocket client() {
        UdpSocket socket = UdpSocket.open();
        socket.securityProperties().useTrustedCertificates(pki.rootPem());
        return socket;
    }

    @Test
    void ourClientWithGnutlsEchoServer() throws Exception {
        int port = FreePort.tcp();
        try (ExternalProcess gnutls = gnutlsEchoServer(port)) {
            gnutls.awaitLine("listening", WAIT);
            try (UdpSocket socket = client()) {
                socket.connect("localhost", port);
                assertThat(socket.protocol()).isEqualTo("DTLSv1.2");
                send(socket, "hello gnutls");
                assertThat(receive(socket)).isEqualTo("hello gnutls");
                send(socket, "second");
                assertThat(receive(socket)).isEqualTo("second");
            }
        }
    }

    /**
     * Our client refuses the server (wrong host) and says so with a fatal alert: gnutls-serv, which
     * serves one client at a time, drops the dead handshake at once and serves the next client,
     * instead of waiting for its own timeout.
     */
    @Test
    void aServerWeRefuseHearsItAndServesItsNextClientAtOnce() throws Exception {
        int port = FreePort.tcp();
        try (ExternalProcess gnutls = gnutlsEchoServer(port)) {
            gnutls.awaitLine("listening", WAIT);
            try (UdpSocket refusing = client()) {
                refusing.securityProperties().setHost("other.example");
                assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SecureConnectionException.class,
                        () -> refusing.connect("127.0.0.1", port)).reason()).isEqualTo(SecureConnectionException.Reason.HOST_MISMATCH);
            }
            long start = System.nanoTime();
            try (UdpSocket next = client()) {
                next.securityProperties().setHandshakeTimeout(Duration.ofSeconds(5));
                next.connect("localhost", port);
                send(next, "next");
                assertThat(receive(next)).isEqualTo("next");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void ourClientWithOpensslServer() throws Exception {
        int port = FreePort.tcp();
        try (ExternalProcess openssl = ExternalProcess.start("openssl", "s_server", "-dtls1_2", "-listen",
                "-accept", "127.0.0.1:" + port, "-mtu", "1200", "-cert", server.certificate().toString(),
                "-cert_chain", server.intermediates().toString(), "-key", server.key().toString())) {
            openssl.awaitLine("ACCEPT", WAIT);
            try (UdpSocket socket = client()) {
                socket.connect("localhost", port);
                send(socket, "ping from java\n");
                openssl.awaitLine("ping from java", WAIT);
                openssl.send("pong from openssl\n");
                assertThat(receive(socket)).isEqualTo("pong from openssl\n");
            }
        }
    }

    @Test
    void ourClientPresentsItsCertificateToOpensslServer() throws Exception {
        int port = FreePort.tcp();
        Identity device = pki.client("device");
        try (ExternalProcess openssl = ExternalProcess.start("openssl", "s_server", "-dtls1_2", "-listen",
                "-accept", "127.0.0.1:" + port, "-mtu", "1200", "-cert", server.certificate().toString(),
                "-cert_chain", server.intermediates().toString(), "-key", server.key().toString(),
                "-Verify", "1", "-CAfile", root.toString(), "-verify_return_error")) {
            openssl.awaitLine("ACCEPT", WAIT);
            try (UdpSocket socket = client()) {
                socket.securityProperties().useCertificates(List.of(device.chainPem())).usePrivateKey(device.keyPem());
                socket.connect("localhost", port);
                send(socket, "signed in\n");
                openssl.awaitLine("signed in", WAIT);
                assertThat(openssl.output()).contains("CN = device");
            }
        }
    }

    /** Serves one peer: echoes its first message prefixed with "echo: ". */
    private static CompletableFuture<UdpSocket> echoOnce(UdpAcceptor acceptor) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                UdpSocket peer = acceptor.accept(WAIT);
                send(peer, "echo: " + receive(peer));
                return peer;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Through a relay that counts: one cookie exchange, three round trips before the client's data. */
    @Test
    void opensslClientWithOurAcceptor() throws Exception {
        try (UdpAcceptor acceptor = DtlsTest.acceptor(serverIdentity);
             UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0)) {
            CompletableFuture<UdpSocket> served = echoOnce(acceptor);
            try (ExternalProcess openssl = opensslClient(relay.port(), "localhost")) {
                openssl.send("hi from openssl\n");
                openssl.awaitLine("echo: hi from openssl", WAIT);
            }
            served.get(WAIT.toSeconds(), TimeUnit.SECONDS).close();
            assertOneCookieExchangeAndThreeRoundTrips(relay);
        }
    }

    /**
     * OpenSSL resumes its session with our acceptor, through the counting relay: after one cookie
     * exchange, or none when the JVM's engines resume without one ({@code -Djdk.tls.enableDtlsResumeCookie=false},
     * set for this test in a run of its own). The MTU lets its hello,
     * which carries the JDK's session ticket, travel in one datagram.
     */
    @Test
    void opensslClientResumesWithOurAcceptor() throws Exception {
        Path session = directory.resolve("openssl-dtls-session.pem");
        UdpAcceptor opened = UdpAcceptor.open();
        opened.securityProperties().useCertificates(List.of(serverIdentity.chainPem())).usePrivateKey(serverIdentity.keyPem());
        // a late answer on a loaded machine must not draw our retransmission, which would add a round trip
        try (UdpAcceptor acceptor = opened.setMtu(1400).setRetransmissionTimeout(Duration.ofSeconds(5)).bind("127.0.0.1", 0);
             UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0)) {
            CompletableFuture<UdpSocket> first = echoOnce(acceptor);
            try (ExternalProcess openssl = opensslClient(relay.port(), "localhost", "-mtu", "1400", "-sess_out", session.toString())) {
                openssl.send("first\n");
                openssl.awaitLine("echo: first", WAIT);
            }
            try (UdpSocket peer = first.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                assertThat(peer.isSessionResumed()).isFalse();
            }
            int before = relay.relayed().size();
            CompletableFuture<UdpSocket> second = echoOnce(acceptor);
            try (ExternalProcess openssl = opensslClient(relay.port(), "localhost", "-mtu", "1400", "-sess_in", session.toString())) {
                openssl.send("again\n");
                openssl.awaitLine("echo: again", WAIT);
            }
            try (UdpSocket peer = second.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                assertThat(peer.isSessionResumed()).as("resumed").isTrue();
            }
            List<UdpRelay.Relayed> relayed = relay.relayed();
            List<UdpRelay.Relayed> resumption = relayed.subList(before, relayed.size());
            boolean withoutCookie = DtlsRobustnessTest.resumesWithoutCookie();
            assertThat(resumption.stream().filter(datagram -> !datagram.fromClient()
                    && DtlsTest.isHandshake(datagram.datagram(), 3))).as("HelloVerifyRequests").hasSize(withoutCookie ? 0 : 1);
            assertThat(DtlsRobustnessTest.roundTripsBeforeData(resumption)).isEqualTo(withoutCookie ? 1 : 2);
        }
    }

    private static void assertOneCookieExchangeAndThreeRoundTrips(UdpRelay relay) {
        assertThat(relay.fromServer().stream().filter(datagram -> DtlsTest.isHandshake(datagram, 3)))
                .as("HelloVerifyRequests").hasSize(1);
        assertThat(DtlsRobustnessTest.roundTripsBeforeData(relay.relayed())).isEqualTo(3);
    }

    /** Finite-field DHE over DTLS 1.2 too, and only where enabled: an OpenSSL client offering nothing else. */
    @Test
    void finiteFieldDheOnlyWhenEnabled() throws Exception {
        Identity rsa = pki.server("RSA");
        String dheOnly = "DHE-RSA-AES128-GCM-SHA256";
        try (UdpAcceptor acceptor = DtlsTest.acceptor(rsa);
             ExternalProcess openssl = opensslClient(acceptor.localAddress().getPort(), "localhost", "-cipher", dheOnly)) {
            assertThat(openssl.awaitExit(WAIT)).isNotZero();
            assertThat(openssl.output()).contains("alert handshake failure");
        }
        UdpAcceptor dhe = UdpAcceptor.open();
        dhe.securityProperties().useCertificates(List.of(rsa.chainPem())).usePrivateKey(rsa.keyPem()).enableFiniteFieldDhe();
        try (UdpAcceptor acceptor = dhe.bind("127.0.0.1", 0)) {
            CompletableFuture<UdpSocket> served = echoOnce(acceptor);
            try (ExternalProcess openssl = opensslClient(acceptor.localAddress().getPort(), "localhost", "-cipher", dheOnly)) {
                openssl.send("dhe\n");
                openssl.awaitLine("echo: dhe", WAIT);
            }
            served.get(WAIT.toSeconds(), TimeUnit.SECONDS).close();
        }
    }

    @Test
    void opensslClientRefusesOurAcceptorForAnotherHost() throws Exception {
        try (UdpAcceptor acceptor = DtlsTest.acceptor(serverIdentity);
             ExternalProcess openssl = opensslClient(acceptor.localAddress().getPort(), "www.example.com")) {
            assertThat(openssl.awaitExit(WAIT)).isNotZero();
            assertThat(openssl.output()).contains("hostname mismatch");
        }
    }

    @Test
    void opensslClientCertificateCheckedByOurAcceptor() throws Exception {
        Written device = pki.client("device").writeTo(directory.resolve("device"));
        try (UdpAcceptor acceptor = acceptorRequiringClientCertificates()) {
            CompletableFuture<UdpSocket> served = echoOnce(acceptor);
            try (ExternalProcess openssl = opensslClient(acceptor.localAddress().getPort(), "localhost",
                    "-cert", device.certificate().toString(), "-cert_chain", device.intermediates().toString(),
                    "-key", device.key().toString())) {
                openssl.send("with certificate\n");
                openssl.awaitLine("echo: with certificate", WAIT);
            }
            try (UdpSocket peer = served.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                assertThat(peer.peerCertificates()).get()
                        .satisfies(chain -> assertThat(chain.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=device"));
            }
        }
    }

    @Test
    void gnutlsClientWithOurAcceptor() throws Exception {
        Written device = pki.client("device").writeTo(directory.resolve("gnutls-device"));
        try (UdpAcceptor acceptor = acceptorRequiringClientCertificates();
             UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0)) {
            CompletableFuture<UdpSocket> served = echoOnce(acceptor);
            try (ExternalProcess gnutls = ExternalProcess.start("gnutls-cli", "--udp", "--mtu=1200",
                    "--port=" + relay.port(), "--x509cafile=" + root, "--sni-hostname=localhost",
                    "--verify-hostname=localhost", "--x509certfile=" + device.chain(), "--x509keyfile=" + device.key(),
                    "127.0.0.1")) {
                gnutls.awaitLine("Handshake was completed", WAIT);
                gnutls.send("hi from gnutls\n");
                gnutls.awaitLine("echo: hi from gnutls", WAIT);
            }
            served.get(WAIT.toSeconds(), TimeUnit.SECONDS).close();
            assertOneCookieExchangeAndThreeRoundTrips(relay);
        }
    }

    /**
     * A client without the certificate our acceptor requires is told so with a fatal alert: gnutls-cli
     * gives up at once instead of retransmitting until its own timeout.
     */
    @Test
    void aClientWeRefuseHearsItAtOnce() throws Exception {
        try (UdpAcceptor acceptor = acceptorRequiringClientCertificates()) {
            long start = System.nanoTime();
            try (ExternalProcess gnutls = ExternalProcess.start("gnutls-cli", "--udp", "--mtu=1200",
                    "--port=" + acceptor.localAddress().getPort(), "--x509cafile=" + root, "--sni-hostname=localhost",
                    "--verify-hostname=localhost", "127.0.0.1")) {
                assertThat(gnutls.awaitExit(WAIT)).isNotZero();
                assertThat(gnutls.output()).containsIgnoringCase("alert");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThatThrownBy(() -> acceptor.accept(WAIT)).isInstanceOfSatisfying(SecureConnectionException.class,
                    failure -> assertThat(failure.reason()).isEqualTo(SecureConnectionException.Reason.CERTIFICATE_REQUIRED));
        }
    }

    /** @return an acceptor bound to 127.0.0.1 that requires client certificates from the test root */
    private static UdpAcceptor acceptorRequiringClientCertificates() throws IOException {
        UdpAcceptor acceptor = UdpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(serverIdentity.chainPem())).usePrivateKey(serverIdentity.keyPem())
                .setClientAuthentication(ClientAuthentication.REQUIRED)
                .useTrustedCertificates(pki.rootPem());
        return acceptor.bind("127.0.0.1", 0);
    }

    /** @return gnutls-serv echoing DTLS on {@code port} with the test server's identity */
    private static ExternalProcess gnutlsEchoServer(int port) throws IOException {
        return ExternalProcess.start("gnutls-serv", "--udp", "--echo", "--mtu=1200",
                "--port=" + port, "--x509certfile=" + server.chain(), "--x509keyfile=" + server.key());
    }

    private static ExternalProcess opensslClient(int port, String host, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port,
                "-servername", host, "-verify_hostname", host, "-CAfile", root.toString(), "-verify_return_error",
                "-mtu", "1200", "-quiet"));
        command.addAll(List.of(options));
        return ExternalProcess.start(command);
    }
}
