package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.ExternalProcess;
import dev.securenet.testing.FreePort;
import dev.securenet.testing.LogCapture;
import dev.securenet.testing.Serving;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import dev.securenet.testing.TestPki.Written;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The two examples of P1861R0, written with securenet and exercised with real curl and openssl. */
@Timeout(60)
class PaperExamplesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    /** Section 5: the server answering every request with the fixed hello page. */
    @Test
    void serverExampleAnswersCurlInsecure() throws Exception {
        try (LogCapture log = new LogCapture(); TcpAcceptor acceptor = TcpAcceptor.open()) {
            acceptor.securityProperties()
                    .useCertificatesDer(List.of(Base64.getDecoder().decode(PaperTestIdentity.CERTIFICATE_BASE64)))
                    .usePrivateKey(PaperTestIdentity.PRIVATE_KEY);
            acceptor.bind(new InetSocketAddress("127.0.0.1", 0));
            acceptor.listen();
            int port = acceptor.localAddress().getPort();

            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> {
                try (TcpSocket socket = acceptor.accept(WAIT)) {
                    socket.setReadTimeout(WAIT);
                    byte[] buffer = new byte[1000];
                    int n = socket.getInputStream().read(buffer); // as the paper: read at least one byte
                    socket.getOutputStream().write(PaperTestIdentity.RESPONSE.getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    return new String(buffer, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            try (ExternalProcess curl = ExternalProcess.run(WAIT, "curl", "-sS", "--max-time", "15",
                    "https://127.0.0.1:" + port, "--insecure")) {
                assertThat(curl.awaitExit(WAIT)).as(curl.output()).isZero();
                assertThat(curl.output()).isEqualTo("<html><h1>hello!</h1></html>");
            }
            assertThat(request.get(WAIT.toSeconds(), TimeUnit.SECONDS)).startsWith("GET / HTTP/1.1");
            assertThat(log.warnings())
                    .anySatisfy(warning -> assertThat(warning).contains("expired on 2017-04-22"))
                    .anySatisfy(warning -> assertThat(warning).contains("weak 1024-bit RSA key"))
                    .anySatisfy(warning -> assertThat(warning).contains("SHA1withRSA"));
        }
    }

    /** Section 4: fetch over TLS, with set_host, from a real openssl s_server. */
    @Test
    void clientExampleFetchesFromOpensslServer() throws Exception {
        TestPki pki = TestPki.create();
        Written server = pki.server().writeTo(directory);
        int port = FreePort.tcp();
        try (ExternalProcess openssl = ExternalProcess.start("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", server.certificate().toString(), "-cert_chain", server.intermediates().toString(),
                "-key", server.key().toString(), "-www")) {
            openssl.awaitLine("ACCEPT", WAIT);

            String response = fetch(pki, "127.0.0.1", port);

            assertThat(response).startsWith("HTTP/1.0 200 ok");
        }
    }

    /** Section 4 against our own acceptor. */
    @Test
    void clientExampleFetchesFromOurAcceptor() throws Exception {
        TestPki pki = TestPki.create();
        Identity identity = pki.server();
        TcpAcceptor acceptor = TcpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(identity.chainPem())).usePrivateKey(identity.keyPem());
        acceptor.bind("127.0.0.1", 0).listen();
        try (Serving serving = Serving.start(acceptor, socket -> {
            socket.setReadTimeout(WAIT);
            socket.getInputStream().read(new byte[1000]);
            socket.getOutputStream().write(PaperTestIdentity.RESPONSE.getBytes(StandardCharsets.US_ASCII));
        })) {
            assertThat(fetch(pki, "127.0.0.1", serving.port())).endsWith("<html><h1>hello!</h1></html>");
        }
    }

    /** The paper's client, minus DNS: connect to an endpoint, set the host, send, read. */
    private static String fetch(TestPki pki, String address, int port) throws Exception {
        try (TcpSocket socket = TcpSocket.open()) {
            socket.securityProperties().setHost("localhost").useTrustedCertificates(pki.rootPem());
            socket.connect(new InetSocketAddress(address, port));
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setReadTimeout(WAIT);
            InputStream input = socket.getInputStream();
            byte[] buffer = new byte[1000];
            int total = 0;
            for (int n = input.read(buffer); n > 0 && total < buffer.length; n = input.read(buffer, total, buffer.length - total)) {
                total += n;
                if (new String(buffer, 0, total, StandardCharsets.US_ASCII).contains("</html>")) {
                    break;
                }
            }
            return new String(buffer, 0, total, StandardCharsets.US_ASCII);
        }
    }
}
