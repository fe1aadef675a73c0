package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.testing.ExternalProcess;
import dev.securenet.testing.FreePort;
import dev.securenet.testing.Lines;
import dev.securenet.testing.Serving;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import dev.securenet.testing.TestPki.Written;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our endpoints against real OpenSSL (s_server, s_client) and curl processes on 127.0.0.1: our
 * own client and server agreeing proves little, a third-party stack disagreeing proves a bug.
 */
@Timeout(90)
class OpenSslInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path directory;

    private static TestPki pki;
    private static Path root;
    private static Written server;

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
        root = pki.writeRootTo(directory);
        server = pki.server().writeTo(directory);
    }

    /** Starts openssl s_server on a free port with the given identity and extra options. */
    private static ExternalProcess sServer(int port, Written identity, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", identity.certificate().toString(), "-cert_chain", identity.intermediates().toString(),
                "-key", identity.key().toString(), "-www"));
        command.addAll(List.of(options));
        ExternalProcess process = ExternalProcess.start(command);
        process.awaitLine("ACCEPT", WAIT);
        return process;
    }

    private static TcpSocket trustingClient() {
        TcpSocket socket = TcpSocket.open();
        socket.securityProperties().useTrustedCertificates(pki.rootPem());
        return socket;
    }

    private static String get(TcpSocket socket) throws IOException {
        socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return Lines.readAll(socket);
    }

    @ParameterizedTest
    @CsvSource({"-tls1_3, TLSv1.3", "-tls1_2, TLSv1.2"})
    void ourClientVerifiesOpensslServerWithIntermediate(String version, String expected) throws Exception {
        int port = FreePort.tcp();
        try (ExternalProcess openssl = sServer(port, server, version); TcpSocket socket = trustingClient()) {
            socket.connect("localhost", port);

            assertThat(socket.protocol()).isEqualTo(expected);
            assertThat(socket.peerCertificates()).get().satisfies(chain -> assertThat(chain.certificates()).hasSize(2));
            assertThat(get(socket)).startsWith("HTTP/1.0 200 ok").contains("Protocol  : " + expected);
        }
    }

    /** Our client resumes its session with OpenSSL and says so, TLS 1.3 and 1.2. */
    @ParameterizedTest
    @CsvSource({"-tls1_3", "-tls1_2"})
    void ourClientResumesWithOpensslServer(String version) throws Exception {
        int port = FreePort.tcp();
        try (ExternalProcess openssl = sServer(port, server, version)) {
            for (int i = 0; i < 2; i++) {
                try (TcpSocket socket = trustingClient()) {
                    socket.connect("localhost", port);
                    assertThat(get(socket)).startsWith("HTTP/1.0 200 ok"); // TLS 1.3 tickets arrive after the handshake
                    assertThat(socket.isSessionResumed()).as("connection %d", i).isEqualTo(i > 0);
                }
            }
        }
    }

    @Test
    void ourClientRefusesOpensslServerForWrongHostOrUnknownRoot() throws Exception {
        int port = FreePort.tcp();
        try (ExternalProcess openssl = sServer(port, server)) {
            try (TcpSocket wrongHost = trustingClient()) {
                wrongHost.securityProperties().setHost("www.example.com");
                assertThat(catchThrowableOfType(SecureConnectionException.class, () -> wrongHost.connect("127.0.0.1", port)).reason())
                        .isEqualTo(Reason.HOST_MISMATCH);
            }
            try (TcpSocket systemRootsOnly = TcpSocket.open()) {
                assertThat(catchThrowableOfType(SecureConnectionException.class, () -> systemRootsOnly.connect("localhost", port)).reason())
                        .isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
            }
        }
    }

    @Test
    void ourClientRefusesExpiredOpensslServer() throws Exception {
        int port = FreePort.tcp();
        try (ExternalProcess openssl = sServer(port, pki.expiredServer().writeTo(directory.resolve("expired")));
             TcpSocket socket = trustingClient()) {
            assertThat(catchThrowableOfType(SecureConnectionException.class, () -> socket.connect("localhost", port)).reason())
                    .isEqualTo(Reason.CERTIFICATE_EXPIRED);
        }
    }

    @Test
    void ourClientRefusesTls10OnlyServer() throws Exception {
        int port = FreePort.tcp();
        try (ExternalProcess openssl = sServer(port, server, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0");
             TcpSocket socket = trustingClient()) {
            SecureConnectionException failure = catchThrowableOfType(SecureConnectionException.class,
                    () -> socket.connect("localhost", port));

            assertThat(failure.reason()).isEqualTo(Reason.PROTOCOL_VERSION);
            assertThat(failure).hasMessageContaining("TLS 1.3 and 1.2 only");
        }
    }

    @Test
    void ourClientPresentsItsCertificateToOpensslServer() throws Exception {
        int port = FreePort.tcp();
        Identity client = pki.client("client.local");
        try (ExternalProcess openssl = sServer(port, server, "-Verify", "1", "-CAfile", root.toString(),
                "-verify_return_error")) {
            try (TcpSocket socket = trustingClient()) {
                socket.securityProperties().useCertificates(List.of(client.chainPem())).usePrivateKey(client.keyPem());
                socket.connect("localhost", port);
                assertThat(get(socket)).startsWith("HTTP/1.0 200 ok").contains("CN=client.local");
            }
            try (TcpSocket anonymous = trustingClient()) {
                // TLS 1.3: the server's refusal may arrive after our side of the handshake is done
                assertThatThrownBy(() -> {
                    anonymous.connect("localhost", port);
                    get(anonymous);
                }).isInstanceOf(IOException.class);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"-tls1_3", "-tls1_2"})
    void opensslClientVerifiesOurAcceptor(String version) throws Exception {
        try (TcpAcceptor acceptor = acceptor(pki.server()); Serving serving = Serving.start(acceptor, Serving.echoLine());
             ExternalProcess client = sClient(serving.port(), "localhost", version)) {
            client.send("ping\n");

            client.awaitLine("echo: ping", WAIT);
            assertThat(client.awaitExit(WAIT)).isZero();
        }
    }

    @Test
    void opensslClientRefusesOurAcceptorForAnotherHost() throws Exception {
        try (TcpAcceptor acceptor = acceptor(pki.server()); Serving serving = Serving.start(acceptor, Serving.echoLine());
             ExternalProcess client = sClient(serving.port(), "www.example.com", "-tls1_3")) {
            assertThat(client.awaitExit(WAIT)).isNotZero();
            assertThat(client.output()).contains("hostname mismatch");
        }
    }

    @Test
    void opensslClientCertificateAcceptedAndRefusedByOurAcceptor() throws Exception {
        Identity serverIdentity = pki.server();
        TestPki strangers = TestPki.create();
        Written member = pki.client("member").writeTo(directory.resolve("member"));
        Written stranger = strangers.client("stranger").writeTo(directory.resolve("stranger"));
        TcpAcceptor acceptor = TcpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(serverIdentity.chainPem())).usePrivateKey(serverIdentity.keyPem())
                .setClientAuthentication(ClientAuthentication.REQUIRED)
                .useTrustedCertificates(pki.rootPem());
        acceptor.bind("127.0.0.1", 0).listen();
        try (Serving serving = Serving.start(acceptor, Serving.echoLine())) {
            try (ExternalProcess client = sClient(serving.port(), "localhost", "-tls1_3",
                    "-cert", member.certificate().toString(), "-cert_chain", member.intermediates().toString(),
                    "-key", member.key().toString())) {
                client.send("member\n");
                client.awaitLine("echo: member", WAIT);
                assertThat(serving.nextServed(WAIT).peerCertificates()).get()
                        .satisfies(chain -> assertThat(chain.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=member"));
            }
            try (ExternalProcess client = sClient(serving.port(), "localhost", "-tls1_2",
                    "-cert", stranger.certificate().toString(), "-cert_chain", stranger.intermediates().toString(),
                    "-key", stranger.key().toString())) {
                assertThat(client.awaitExit(WAIT)).isNotZero();
                assertThat(serving.nextFailure(WAIT)).isInstanceOfSatisfying(SecureConnectionException.class,
                        failure -> assertThat(failure.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE));
            }
            try (ExternalProcess client = sClient(serving.port(), "localhost", "-tls1_2")) {
                assertThat(client.awaitExit(WAIT)).isNotZero();
                assertThat(serving.nextFailure(WAIT)).isInstanceOfSatisfying(SecureConnectionException.class,
                        failure -> assertThat(failure.reason()).isEqualTo(Reason.CERTIFICATE_REQUIRED));
            }
        }
    }

    @Test
    void clientInitiatedRenegotiationIsRefusedBeforeItRuns() throws Exception {
        Serving.Handler echoLines = socket -> {
            socket.setReadTimeout(WAIT);
            for (String line = Lines.readLine(socket.getInputStream()); !line.isEmpty(); line = Lines.readLine(socket.getInputStream())) {
                socket.getOutputStream().write(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
            }
        };
        try (TcpAcceptor acceptor = acceptor(pki.server()); Serving serving = Serving.start(acceptor, echoLines);
             ExternalProcess client = ExternalProcess.start("openssl", "s_client", "-connect", "127.0.0.1:" + serving.port(),
                     "-servername", "localhost", "-CAfile", root.toString(), "-verify_return_error", "-tls1_2")) {
            client.send("first\n");
            client.awaitLine("echo: first", WAIT);

            long verifiedOnce = client.output().lines().filter(line -> line.startsWith("verify return:")).count();
            assertThat(verifiedOnce).isPositive();

            client.send("R\n"); // s_client's command to renegotiate (interactive mode: no -quiet, no -ign_eof)

            client.awaitLine("RENEGOTIATING", WAIT);
            client.awaitExit(WAIT); // the server ended the connection
            // refused before it ran: no second server certificate was verified, no second handshake done
            assertThat(client.output().lines().filter(line -> line.startsWith("verify return:")).count()).isEqualTo(verifiedOnce);
            assertThat(serving.nextFailure(WAIT)).hasStackTraceContaining("renegotiate");
        }
    }

    @Test
    void curlVerifiesOurAcceptor() throws Exception {
        try (TcpAcceptor acceptor = acceptor(pki.server());
             Serving serving = Serving.start(acceptor, socket -> {
                 socket.setReadTimeout(WAIT);
                 socket.getInputStream().read(new byte[1000]);
                 socket.getOutputStream().write(PaperTestIdentity.RESPONSE.getBytes(StandardCharsets.US_ASCII));
             });
             ExternalProcess curl = ExternalProcess.run(WAIT, "curl", "-sS", "--max-time", "15",
                     "--cacert", root.toString(), "https://localhost:" + serving.port() + "/")) {
            assertThat(curl.awaitExit(WAIT)).as(curl.output()).isZero();
            assertThat(curl.output()).isEqualTo("<html><h1>hello!</h1></html>");
            assertThat(serving.nextServed(WAIT).requestedServerName()).contains("localhost");
        }
    }

    private static TcpAcceptor acceptor(Identity identity) throws IOException {
        TcpAcceptor acceptor = TcpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(identity.chainPem())).usePrivateKey(identity.keyPem());
        return acceptor.bind("127.0.0.1", 0).listen();
    }

    /**
     * No SHA-1 or SHA-224 in TLS 1.2's signatures: a client that offers nothing else is refused with
     * an alert, as the JDK's own key manager does; the same client offering SHA-256 is served (the
     * command line itself works). OpenSSL will not offer SHA-1 alone for TLS 1.3: see
     * HandshakeSignaturePolicyTest.
     */
    @ParameterizedTest
    @CsvSource({"-tls1_2, ECDSA+SHA1, ECDSA+SHA256", "-tls1_2, ECDSA+SHA224, ECDSA+SHA256"})
    void handshakeSignaturesNeverUseSha1OrSha224(String version, String weak, String strong) throws Exception {
        Assumptions.assumeTrue(TlsProvider.fromSystemProperty() == TlsProvider.JDK, "Conscrypt cannot be told which"
                + " TLS 1.2 signature schemes to allow: BoringSSL's defaults include SHA-1 (TlsProvider.CONSCRYPT says so)");
        try (TcpAcceptor acceptor = acceptor(pki.server("EC")); Serving serving = Serving.start(acceptor, Serving.echoLine())) {
            try (ExternalProcess client = sClient(serving.port(), "localhost", version, "-sigalgs", weak,
                    "-cipher", "DEFAULT:@SECLEVEL=0")) {
                assertThat(client.awaitExit(WAIT)).isNotZero();
                assertThat(client.output()).contains("alert handshake failure");
                assertThat(serving.nextFailure(WAIT)).isInstanceOf(SecureConnectionException.class);
            }
            try (ExternalProcess client = sClient(serving.port(), "localhost", version, "-sigalgs", strong,
                    "-cipher", "DEFAULT:@SECLEVEL=0")) {
                client.send("strong\n");
                client.awaitLine("echo: strong", WAIT);
            }
        }
    }

    /**
     * Our chain is presented only to a peer that declared it can verify its signatures, as the JDK's
     * key manager decides: an RSA leaf issued by our ECDSA intermediate, to a client whose
     * signature algorithms are RSA only, is refused with an alert (the RSA key itself could sign the
     * handshake); the same client also accepting ECDSA is served.
     */
    @ParameterizedTest
    @CsvSource({"-tls1_3, rsa_pss_rsae_sha256", "-tls1_2, RSA+SHA256"})
    void aChainThePeerCannotVerifyIsNotPresented(String version, String rsaOnly) throws Exception {
        Assumptions.assumeTrue(TlsProvider.fromSystemProperty() == TlsProvider.JDK, "Conscrypt does not show the"
                + " key manager the client's signature algorithms: it presents the chain, and such a client refuses it itself");
        try (TcpAcceptor acceptor = acceptor(pki.server("RSA")); Serving serving = Serving.start(acceptor, Serving.echoLine())) {
            try (ExternalProcess client = sClient(serving.port(), "localhost", version, "-sigalgs", rsaOnly)) {
                assertThat(client.awaitExit(WAIT)).isNotZero();
                assertThat(client.output()).contains("alert handshake failure");
                assertThat(serving.nextFailure(WAIT)).isInstanceOf(SecureConnectionException.class);
            }
            try (ExternalProcess client = sClient(serving.port(), "localhost", version, "-sigalgs",
                    rsaOnly + ":ECDSA+SHA256")) {
                client.send("verifiable\n");
                client.awaitLine("echo: verifiable", WAIT);
            }
        }
    }

    /**
     * Finite-field DHE (RFC 9325 §4.5) only where an endpoint enables it: an OpenSSL client or server
     * offering nothing else is refused by default, on both sides, and served once enabled.
     */
    @Test
    void finiteFieldDheOnlyWhenEnabled() throws Exception {
        Assumptions.assumeTrue(TlsProvider.fromSystemProperty() == TlsProvider.JDK,
                "Conscrypt has no DHE suites: endpoints refuse the combination (TlsProviderTest)");
        Identity rsa = pki.server("RSA");
        String dheOnly = "DHE-RSA-AES128-GCM-SHA256";
        try (TcpAcceptor acceptor = acceptor(rsa); Serving serving = Serving.start(acceptor, Serving.echoLine());
             ExternalProcess client = sClient(serving.port(), "localhost", "-tls1_2", "-cipher", dheOnly)) {
            assertThat(client.awaitExit(WAIT)).isNotZero();
            assertThat(client.output()).contains("alert handshake failure");
            assertThat(serving.nextFailure(WAIT)).isInstanceOf(SecureConnectionException.class);
        }
        TcpAcceptor dheAcceptor = TcpAcceptor.open();
        dheAcceptor.securityProperties().useCertificates(List.of(rsa.chainPem())).usePrivateKey(rsa.keyPem()).enableFiniteFieldDhe();
        try (TcpAcceptor acceptor = dheAcceptor.bind("127.0.0.1", 0).listen();
             Serving serving = Serving.start(acceptor, Serving.echoLine());
             ExternalProcess client = sClient(serving.port(), "localhost", "-tls1_2", "-cipher", dheOnly)) {
            client.send("dhe\n");
            client.awaitLine("echo: dhe", WAIT);
        }

        int port = FreePort.tcp();
        Written rsaFiles = rsa.writeTo(directory.resolve("rsa"));
        try (ExternalProcess openssl = sServer(port, rsaFiles, "-tls1_2", "-cipher", dheOnly)) {
            try (TcpSocket socket = trustingClient()) {
                assertThat(catchThrowableOfType(SecureConnectionException.class, () -> socket.connect("localhost", port)).reason())
                        .isEqualTo(Reason.HANDSHAKE_FAILED);
            }
            try (TcpSocket socket = trustingClient()) {
                socket.securityProperties().enableFiniteFieldDhe();
                socket.connect("localhost", port);
                assertThat(get(socket)).startsWith("HTTP/1.0 200 ok").contains("Cipher is " + dheOnly);
            }
        }
    }

    @Test
    void finiteFieldDheOnAnAcceptorWithoutAnRsaKeyIsRefused() throws IOException {
        Identity ec = pki.server("EC");
        try (TcpAcceptor acceptor = TcpAcceptor.open()) {
            acceptor.securityProperties().useCertificates(List.of(ec.chainPem())).usePrivateKey(ec.keyPem()).enableFiniteFieldDhe();
            assertThatThrownBy(() -> acceptor.bind("127.0.0.1", 0).listen())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("need an RSA key").hasMessageContaining("enableFiniteFieldDhe()");
        }
    }

    private static ExternalProcess sClient(int port, String host, String version, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", host, "-verify_hostname", host, "-CAfile", root.toString(), "-verify_return_error",
                "-quiet", version));
        command.addAll(List.of(options));
        return ExternalProcess.start(command);
    }
}
