package dev.securenet.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Future;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import com.github.dockerjava.api.DockerClient;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * A third-party TLS/DTLS peer (OpenSSL, GnuTLS, nginx, curl from Debian) in a container with host
 * networking: it binds and connects to 127.0.0.1 only, and the test PKI is mounted read-only at
 * {@code /pki}.
 *
 * <p>The image is {@code securenet.peer.image} (system property) or {@code SECURENET_PEER_IMAGE}
 * (environment), as .ci/container-engine.sh builds it without a registry; otherwise the same peers
 * are built from a Dockerfile on Debian's slim image.
 */
public final class PeerContainer {

    public static final Duration STARTUP = Duration.ofSeconds(60);

    private static final Future<String> DOCKERFILE_IMAGE = new ImageFromDockerfile("securenet-peer", false)
            .withDockerfileFromBuilder(dockerfile -> dockerfile
                    .from("debian:bookworm-slim")
                    .run("apt-get update && apt-get install -y --no-install-recommends "
                            + "openssl nginx-light gnutls-bin curl ca-certificates && rm -rf /var/lib/apt/lists/*")
                    .build());

    private PeerContainer() {
    }

    private static GenericContainer<?> base(Path pki) {
        String image = System.getProperty("securenet.peer.image", System.getenv("SECURENET_PEER_IMAGE"));
        GenericContainer<?> container = image == null || image.isBlank()
                ? new GenericContainer<>(DOCKERFILE_IMAGE) : new GenericContainer<>(image);
        return container.withNetworkMode("host")
                .withFileSystemBind(pki.toString(), "/pki", BindMode.READ_ONLY);
    }

    /** A server: started when it printed {@code ready}. */
    public static GenericContainer<?> server(Path pki, String ready, String... command) {
        return base(pki).withCommand(command)
                .waitingFor(Wait.forLogMessage(".*" + ready + ".*", 1).withStartupTimeout(STARTUP));
    }

    /**
     * A client: started when it has ended, whatever its exit code (see {@link #exitCode}); its
     * output is in the container's logs.
     */
    public static GenericContainer<?> client(Path pki, String shellCommand) {
        return base(pki).withCommand("sh", "-c", shellCommand)
                .withStartupCheckStrategy(new Ended().withTimeout(STARTUP));
    }

    /** @return the exit code of a client that has ended */
    public static long exitCode(GenericContainer<?> client) {
        return client.getCurrentContainerInfo().getState().getExitCodeLong();
    }

    /** Startup is over when the container has ended: a failing client is a result, not an error. */
    private static final class Ended extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient docker, String containerId) {
            return Boolean.TRUE.equals(getCurrentState(docker, containerId).getRunning())
                    ? StartupStatus.NOT_YET_KNOWN : StartupStatus.SUCCESSFUL;
        }
    }
}
