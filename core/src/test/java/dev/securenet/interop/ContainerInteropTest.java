package dev.securenet.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securenet.ClientAuthentication;
import dev.securenet.PaperTestIdentity;
import dev.securenet.SecureConnectionException;
import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import dev.securenet.UdpAcceptor;
import dev.securenet.UdpSocket;
import dev.securenet.testing.FreePort;
import dev.securenet.testing.Lines;
import dev.securenet.testing.Serving;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.WaitingConsumer;

/**
 * Our endpoints against real TLS and DTLS peers in containers (host networking, 127.0.0.1 only),
 * with a test PKI of root, intermediate and leaves made at test time. Every container is stopped
 * by try-with-resources: Ryuk is not available everywhere.
 */
@RequiresContainerEngine
@Timeout(180)
class ContainerInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * A shell command that feeds {@code input} to a client and ends at the first line containing
     * "echo:" (all output still reaches the logs). These clients do not end when the server closes
     * and would end only when their input does, which a sleep holds open for at most 15 s.
     */
    private static String untilEcho(String input, String client) {
        return "mkfifo /tmp/out; (printf '" + input + "'; sleep 15) | stdbuf -oL " + client
                + " > /tmp/out 2>&1 & awk '{print} /echo:/ {exit}' /tmp/out";
    }

    @TempDir
    static Path pki;

    private static TestPki authority;
    private static Identity server;
    private static Identity client;

    @BeforeAll
    static void pki() throws IOException {
        authority = TestPki.create();
        server = authority.server();
        client = authority.client("client.local");
        server.writeTo(pki);
        client.writeTo(pki);
        authority.expiredServer().writeTo(pki);
        authority.otherHost().writeTo(pki);
        authority.writeRootTo(pki);
        TestPki.create().writeRootTo(pki.resolve("stranger"));
    }

    private static TcpSocket trustingSocket() {
        TcpSocket socket = TcpSocket.open();
        socket.securityProperties().useTrustedCertificates(authority.rootPem());
        return socket;
    }

    private static TcpAcceptor acceptor(Identity identity) throws IOException {
        TcpAcceptor acceptor = TcpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(identity.chainPem())).usePrivateKey(identity.keyPem());
        return acceptor.bind("127.0.0.1", 0).listen();
    }

    // --- openssl s_server (TLS) against our TcpSocket -----------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void opensslServerWithOurSocket(String version) throws Exception {
        int port = FreePort.tcp();
        try (GenericContainer<?> openssl = PeerContainer.server(pki, "ACCEPT", "openssl", "s_server",
                "-accept", "127.0.0.1:" + port, "-cert", "/pki/server.pem", "-cert_chain", "/pki/server-intermediates.pem",
                "-key", "/pki/server.key", "-www", version)) {
            openssl.start();
            try (TcpSocket socket = trustingSocket()) {
                socket.connect("localhost", port);
                assertThat(socket.protocol()).isEqualTo(version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2");
                assertThat(socket.peerCertificates()).get().satisfies(chain -> assertThat(chain.certificates()).hasSize(2));
                socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(Lines.readAll(socket)).startsWith("HTTP/1.0 200 ok");
            }
            try (TcpSocket wrongHost = trustingSocket()) {
                wrongHost.securityProperties().setHost("www.example.com");
                assertThat(catchThrowableOfType(SecureConnectionException.class, () -> wrongHost.connect("127.0.0.1", port)).reason())
                        .isEqualTo(Reason.HOST_MISMATCH);
            }
            try (TcpSocket unknownRoot = TcpSocket.open()) {
                assertThat(catchThrowableOfType(SecureConnectionException.class, () -> unknownRoot.connect("localhost", port)).reason())
                        .isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
            }
        }
    }

    // --- openssl s_client against our TcpAcceptor ---------------------------------------------

    @Test
    void opensslClientWithOurAcceptorVerifiesHostAndPresentsClientCertificates() throws Exception {
        Identity serverIdentity = server;
        TcpAcceptor acceptor = TcpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(serverIdentity.chainPem())).usePrivateKey(serverIdentity.keyPem())
                .setClientAuthentication(ClientAuthentication.REQUIRED)
                .useTrustedCertificates(authority.rootPem());
        acceptor.bind("127.0.0.1", 0).listen();
        try (Serving serving = Serving.start(acceptor, Serving.echoLine())) {
            String sClient = "printf 'hello\\n' | openssl s_client -connect 127.0.0.1:" + serving.port()
                    + " -servername localhost -verify_hostname localhost -CAfile /pki/root.pem -verify_return_error -quiet";
            try (GenericContainer<?> accepted = PeerContainer.client(pki, sClient
                    + " -cert /pki/client.local.pem -cert_chain /pki/client.local-intermediates.pem -key /pki/client.local.key")) {
                accepted.start();
                assertThat(accepted.getLogs()).contains("echo: hello");
            }
            try (GenericContainer<?> anonymous = PeerContainer.client(pki, sClient)) {
                anonymous.start();
                assertThat(anonymous.getLogs()).doesNotContain("echo: hello");
                assertThat(serving.nextFailure(WAIT)).isInstanceOfSatisfying(SecureConnectionException.class,
                        failure -> assertThat(failure.reason()).isEqualTo(Reason.CERTIFICATE_REQUIRED));
            }
            try (GenericContainer<?> wrongName = PeerContainer.client(pki, "printf 'x\\n' | openssl s_client -connect 127.0.0.1:"
                    + serving.port() + " -verify_hostname www.example.com -CAfile /pki/root.pem -verify_return_error -quiet")) {
                wrongName.start();
                assertThat(PeerContainer.exitCode(wrongName)).isNotZero();
                assertThat(wrongName.getLogs()).contains("hostname mismatch");
            }
        }
    }

    // --- nginx against our TcpSocket: the paper's client example ------------------------------

    @Test
    void paperClientExampleFetchesFromNginx() throws Exception {
        int port = FreePort.tcp();
        Path config = Files.writeString(pki.resolve("nginx.conf"), """
                pid /tmp/nginx.pid;
                error_log stderr;
                events {}
                http {
                  access_log off;
                  server {
                    listen 127.0.0.1:%d ssl;
                    ssl_certificate /pki/server-chain.pem;
                    ssl_certificate_key /pki/server.key;
                    ssl_protocols TLSv1.2 TLSv1.3;
                    location / { return 200 '<html><h1>hello from nginx</h1></html>'; }
                  }
                }
                """.formatted(port));
        try (GenericContainer<?> nginx = PeerContainer.server(pki, "READY", "sh", "-c",
                "nginx -c /pki/" + config.getFileName() + " && echo READY && sleep 600")) {
            nginx.start();
            try (TcpSocket socket = TcpSocket.open()) {
                socket.securityProperties().setHost("localhost").useTrustedCertificates(authority.rootPem());
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(Lines.readAll(socket)).startsWith("HTTP/1.1 200").endsWith("<html><h1>hello from nginx</h1></html>");
            }
        }
    }

    // --- curl against our TcpAcceptor -----------------------------------------------------------

    @Test
    void curlVerifiesOurAcceptorAndRunsThePapersInsecureCommand() throws Exception {
        String page = "HTTP/1.1 200 OK\r\nContent-Length: 28\r\nConnection: close\r\n\r\n<html><h1>hello!</h1></html>";
        Serving.Handler hello = socket -> {
            socket.setReadTimeout(WAIT);
            socket.getInputStream().read(new byte[1000]);
            socket.getOutputStream().write(page.getBytes(StandardCharsets.US_ASCII));
        };
        try (Serving serving = Serving.start(acceptor(server), hello)) {
            try (GenericContainer<?> curl = PeerContainer.client(pki, "curl -sS --max-time 15 --cacert /pki/root.pem https://localhost:"
                    + serving.port() + "/")) {
                curl.start();
                assertThat(PeerContainer.exitCode(curl)).isZero();
                assertThat(curl.getLogs()).contains("<html><h1>hello!</h1></html>");
            }
        }
        TcpAcceptor paper = TcpAcceptor.open();
        paper.securityProperties().useCertificatesDer(List.of(Base64.getDecoder().decode(PaperTestIdentity.CERTIFICATE_BASE64)))
                .usePrivateKey(PaperTestIdentity.PRIVATE_KEY);
        paper.bind("127.0.0.1", 0).listen();
        try (Serving serving = Serving.start(paper, hello);
             GenericContainer<?> curl = PeerContainer.client(pki, "curl -sS --max-time 15 https://127.0.0.1:" + serving.port() + " --insecure")) {
            curl.start();
            assertThat(curl.getLogs()).contains("<html><h1>hello!</h1></html>");
        }
    }

    // --- GnuTLS (TLS) both ways ----------------------------------------------------------------

    @Test
    void gnutlsServerWithOurSocket() throws Exception {
        int port = FreePort.tcp();
        try (GenericContainer<?> gnutls = PeerContainer.server(pki, "listening", "gnutls-serv", "--echo",
                "--port=" + port, "--x509certfile=/pki/server-chain.pem", "--x509keyfile=/pki/server.key")) {
            gnutls.start();
            try (TcpSocket socket = trustingSocket()) {
                socket.connect("localhost", port);
                assertThat(Lines.exchange(socket, "hello gnutls")).isEqualTo("hello gnutls");
            }
        }
    }

    @Test
    void gnutlsClientWithOurAcceptor() throws Exception {
        try (Serving serving = Serving.start(acceptor(server), Serving.echoLine());
             GenericContainer<?> gnutls = PeerContainer.client(pki, untilEcho("hello\\n", "gnutls-cli --port="
                     + serving.port() + " --x509cafile=/pki/root.pem --sni-hostname=localhost --verify-hostname=localhost 127.0.0.1"))) {
            gnutls.start();
            assertThat(gnutls.getLogs()).contains("Handshake was completed").contains("echo: hello");
        }
    }

    // --- DTLS: OpenSSL and GnuTLS servers against our UdpSocket -------------------------------

    @Test
    void opensslDtlsServerWithOurUdpSocket() throws Exception {
        int port = FreePort.tcp();
        // stdin stays open (sleep), or s_server ends after the first association
        try (GenericContainer<?> openssl = PeerContainer.server(pki, "ACCEPT", "sh", "-c",
                "sleep 600 | openssl s_server -dtls1_2 -listen -accept 127.0.0.1:" + port
                        + " -mtu 1200 -cert /pki/server.pem -cert_chain /pki/server-intermediates.pem -key /pki/server.key")) {
            openssl.start();
            WaitingConsumer output = new WaitingConsumer();
            openssl.followOutput(output);
            try (UdpSocket socket = UdpSocket.open()) {
                socket.securityProperties().useTrustedCertificates(authority.rootPem());
                socket.connect("localhost", port);
                assertThat(socket.protocol()).isEqualTo("DTLSv1.2");
                socket.send(ByteBuffer.wrap("ping over dtls\n".getBytes(StandardCharsets.UTF_8)));
                output.waitUntil(frame -> frame.getUtf8String().contains("ping over dtls"), (int) WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void gnutlsDtlsEchoServerWithOurUdpSocket() throws Exception {
        int port = FreePort.tcp();
        try (GenericContainer<?> gnutls = PeerContainer.server(pki, "listening", "gnutls-serv", "--udp", "--echo",
                "--mtu=1200", "--port=" + port, "--x509certfile=/pki/server-chain.pem", "--x509keyfile=/pki/server.key")) {
            gnutls.start();
            try (UdpSocket socket = UdpSocket.open()) {
                socket.securityProperties().useTrustedCertificates(authority.rootPem());
                socket.connect("localhost", port);
                socket.send(ByteBuffer.wrap("datagram".getBytes(StandardCharsets.UTF_8)));
                assertThat(receive(socket)).isEqualTo("datagram");
            }
        }
    }

    // --- DTLS: OpenSSL and GnuTLS clients against our UdpAcceptor -----------------------------

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "gnutls"})
    void dtlsClientsWithOurUdpAcceptorAndClientCertificates(String peer) throws Exception {
        try (UdpAcceptor acceptor = UdpAcceptor.open()) {
            acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem())
                    .setClientAuthentication(ClientAuthentication.REQUIRED)
                    .useTrustedCertificates(authority.rootPem());
            acceptor.bind("127.0.0.1", 0);
            int port = acceptor.localAddress().getPort();
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (UdpSocket session = acceptor.accept(WAIT)) {
                    String message = receive(session);
                    session.send(ByteBuffer.wrap(("echo: " + message).getBytes(StandardCharsets.UTF_8)));
                    return session.peerCertificates().orElseThrow().leaf().getSubjectX500Principal().getName();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            String command = peer.equals("openssl")
                    ? untilEcho("hi\\n", "openssl s_client -dtls1_2 -connect 127.0.0.1:" + port
                            + " -servername localhost -verify_hostname localhost -CAfile /pki/root.pem -verify_return_error"
                            + " -mtu 1200 -quiet -cert /pki/client.local.pem -cert_chain /pki/client.local-intermediates.pem"
                            + " -key /pki/client.local.key")
                    : untilEcho("hi\\n", "gnutls-cli --udp --mtu=1200 --port=" + port
                            + " --x509cafile=/pki/root.pem --sni-hostname=localhost --verify-hostname=localhost"
                            + " --x509certfile=/pki/client.local-chain.pem --x509keyfile=/pki/client.local.key 127.0.0.1");
            try (GenericContainer<?> client = PeerContainer.client(pki, command)) {
                client.start();
                assertThat(client.getLogs()).contains("echo: hi");
            }
            assertThat(served.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("CN=client.local");
        }
    }

    private static String receive(UdpSocket socket) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        int n = socket.receive(buffer, WAIT);
        return new String(buffer.array(), 0, n, StandardCharsets.UTF_8);
    }
}
