package dev.securenet.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Boots the sample app as a user would and reaches it with real curl. */
@Timeout(60)
class SampleApplicationTest {

    private static final String HELLO = "<html><h1>hello!</h1></html>";

    @Test
    void servesThePapersPageOverTlsToCurlAndToItsOwnVerifiedClient() throws Exception {
        int port = freePort();
        try (ConfigurableApplicationContext app = SpringApplication.run(SampleApplication.class,
                "--securenet.acceptors.hello.port=" + port, "--server.port=" + freePort())) {
            // the paper's client example, run by the app at startup through an injected socket
            assertThat(app.getBean(HelloClient.class).lastResponse()).startsWith("HTTP/1.1 200 OK").endsWith(HELLO);

            // the paper's command
            assertThat(curl("https://127.0.0.1:" + port, "--insecure")).isEqualTo(new Result(0, HELLO));
            // verification against the development certificate the app wrote out
            Path certificate = Path.of(System.getProperty("java.io.tmpdir"), "securenet", "hello-certificate.pem");
            assertThat(curl("--cacert", certificate.toString(), "https://localhost:" + port + "/")).isEqualTo(new Result(0, HELLO));
            // and nothing trusts it otherwise (curl: 60, peer certificate cannot be authenticated)
            assertThat(curl("https://localhost:" + port + "/").exitCode()).isEqualTo(60);
        }
    }

    /** The README's Actuator commands: health with each endpoint, info with certificates, the meters. */
    @Test
    void actuatorShowsHealthInfoAndMetersOfTheEndpoints() throws Exception {
        int port = freePort();
        int management = freePort();
        try (ConfigurableApplicationContext app = SpringApplication.run(SampleApplication.class,
                "--securenet.acceptors.hello.port=" + port, "--server.port=" + management)) {
            assertThat(curl("https://127.0.0.1:" + port, "--insecure")).isEqualTo(new Result(0, HELLO));
            String actuator = "http://127.0.0.1:" + management + "/actuator/";

            String health = curl(actuator + "health/securenet").output();
            assertThat(health).contains("\"status\":\"UP\"").contains("\"hello\"").contains("\"hello-client\"")
                    .contains("\"listening\":true").contains("daysUntilExpiry");
            assertThat(curl(actuator + "info").output()).contains("\"securenet\"").contains("sha256").contains("CN=localhost")
                    .doesNotContain("PRIVATE KEY");
            // the app's own client and curl each made one handshake with the acceptor
            assertThat(curl(actuator + "metrics/securenet.handshakes?tag=endpoint:hello&tag=outcome:success").output())
                    .contains("\"COUNT\"");
            assertThat(curl(actuator + "metrics/securenet.bytes?tag=endpoint:hello&tag=direction:out").output())
                    .contains("\"statistic\":\"COUNT\"").doesNotContain("\"value\":0.0");
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result curl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "15"));
        command.addAll(List.of(arguments));
        Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        curl.getOutputStream().close();
        if (!curl.waitFor(30, TimeUnit.SECONDS)) {
            curl.destroyForcibly();
            throw new AssertionError("curl did not finish: " + command);
        }
        return new Result(curl.exitValue(), new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
