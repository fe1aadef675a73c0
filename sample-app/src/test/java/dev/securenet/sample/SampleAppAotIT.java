package dev.securenet.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sample as a user runs it: the executable jar, with the code Spring AOT generated at
 * build time ({@code -Dspring.aot.enabled=true}), reached by real curl and stopped gracefully.
 */
@Timeout(120)
class SampleAppAotIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String HELLO = "<html><h1>hello!</h1></html>";

    @TempDir
    Path temporary;

    @Test
    void theAotProcessedJarServesThePapersPage() throws Exception {
        try (SampleJar sample = SampleJar.start(SampleJar.THIS_JAVA, temporary, List.of("-Dspring.aot.enabled=true"))) {
            ExternalProcess app = sample.process();
            int port = sample.port();
            app.awaitLine("received response over verified TLS", WAIT); // the paper's client, through the injected socket
            assertThat(app.output()).contains("Starting AOT-processed SampleApplication");

            ExternalProcess insecure = ExternalProcess.run(WAIT, "curl", "-sS", "--max-time", "15",
                    "https://127.0.0.1:" + port, "--insecure");
            assertThat(insecure.output()).isEqualTo(HELLO);

            Path certificate = temporary.resolve("securenet").resolve("hello-certificate.pem");
            assertThat(Files.readString(certificate)).startsWith("-----BEGIN CERTIFICATE-----");
            ExternalProcess verified = ExternalProcess.run(WAIT, "curl", "-sS", "--max-time", "15",
                    "--cacert", certificate.toString(), "https://localhost:" + port + "/");
            assertThat(verified.output()).isEqualTo(HELLO);
        }
    }

    /**
     * With virtual threads every thread Spring starts is a daemon: the acceptor's own accept loop
     * must keep the application up (a non-web app used to exit right after startup).
     */
    @Test
    void theAppStaysUpOnVirtualThreads() throws Exception {
        String java = javaWithVirtualThreads();
        Assumptions.assumeTrue(java != null, "virtual threads need JDK 21+: set SECURENET_SECOND_JVM to one");
        try (SampleJar sample = SampleJar.start(java, temporary, List.of(), "--spring.threads.virtual.enabled=true")) {
            ExternalProcess app = sample.process();
            int port = sample.port();
            app.awaitLine("Started SampleApplication", WAIT);
            app.awaitLine("received response over verified TLS", WAIT);
            for (int i = 0; i < 3; i++) { // served, again and again: the process did not end after startup
                ExternalProcess curl = ExternalProcess.run(WAIT, "curl", "-sS", "--max-time", "15",
                        "https://127.0.0.1:" + port, "--insecure");
                assertThat(curl.output()).isEqualTo(HELLO);
            }
            assertThat(app.isAlive()).isTrue();
        }
    }

    private static String javaWithVirtualThreads() {
        if (Runtime.version().feature() >= 21) {
            return SampleJar.THIS_JAVA;
        }
        String second = System.getenv("SECURENET_SECOND_JVM");
        return second == null || second.isBlank() ? null : second;
    }
}
