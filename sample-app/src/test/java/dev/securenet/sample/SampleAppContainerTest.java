package dev.securenet.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.interop.PeerContainer;
import dev.securenet.interop.RequiresContainerEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.containers.GenericContainer;

/** The sample app reached by curl from a container: the paper's command, and with verification. */
@RequiresContainerEngine
@Timeout(120)
class SampleAppContainerTest {

    @Test
    void curlInAContainerReachesTheSampleApp() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (ConfigurableApplicationContext app = SpringApplication.run(SampleApplication.class,
                "--securenet.acceptors.hello.port=" + port, "--server.port=0")) {
            Path certificates = Path.of(System.getProperty("java.io.tmpdir"), "securenet");
            try (GenericContainer<?> insecure = PeerContainer.client(certificates,
                    "curl -sS --max-time 15 https://127.0.0.1:" + port + " --insecure")) {
                insecure.start();
                assertThat(PeerContainer.exitCode(insecure)).isZero();
                assertThat(insecure.getLogs()).contains("<html><h1>hello!</h1></html>");
            }
            try (GenericContainer<?> verified = PeerContainer.client(certificates,
                    "curl -sS --max-time 15 --cacert /pki/hello-certificate.pem https://localhost:" + port + "/")) {
                verified.start();
                assertThat(PeerContainer.exitCode(verified)).isZero();
                assertThat(verified.getLogs()).contains("<html><h1>hello!</h1></html>");
            }
        }
    }
}
