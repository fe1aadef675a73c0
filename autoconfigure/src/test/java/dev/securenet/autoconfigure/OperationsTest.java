package dev.securenet.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.SecureConnectionException;
import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import dev.securenet.testing.ExternalProcess;
import dev.securenet.testing.Lines;
import dev.securenet.testing.LogCapture;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import dev.securenet.testing.TestPki.Written;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Operations in a running application: certificates rotated on disk reach new handshakes without a
 * restart (a refused pair changes nothing and shows in health), health and info describe each
 * endpoint, and Micrometer meters count real handshakes, connections and bytes.
 */
@Timeout(90)
class OperationsTest {

    /** The quiet period is 2 s; the target is 10 s from the change. */
    private static final Duration ROTATION_TARGET = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path directory;

    private static TestPki pki;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SecurenetAutoConfiguration.class,
                    SecurenetActuatorAutoConfiguration.class, SecurenetMetricsAutoConfiguration.class,
                    ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withBean("echoHandler", ConnectionHandler.class, () -> socket -> {
                socket.setReadTimeout(WAIT);
                for (String line = Lines.readLine(socket.getInputStream()); line != null; line = Lines.readLine(socket.getInputStream())) {
                    socket.getOutputStream().write(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            });

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
    }

    private static TcpSocket connect(TcpAcceptor acceptor) throws IOException {
        TcpSocket socket = TcpSocket.open();
        socket.securityProperties().useTrustedCertificates(pki.rootPem());
        socket.connect("localhost", acceptor.localAddress().getPort());
        return socket;
    }

    private static X509Certificate served(TcpAcceptor acceptor) throws IOException {
        try (TcpSocket socket = connect(acceptor)) {
            return socket.peerCertificates().orElseThrow().certificates().get(0);
        }
    }

    /** Replaces the files at {@code key} and {@code chain} with an identity's, as a deployment would. */
    private static void install(Identity identity, Path key, Path chain, String name) throws IOException {
        Written written = identity.writeTo(directory.resolve(name));
        Files.copy(written.key(), key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(written.chain(), chain, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what + " within " + timeout).isNegative();
            Thread.sleep(100); // polling a file-driven change: there is no event to wait on from here
        }
    }

    private static Health componentHealth(EndpointHealthContributor contributor, String name) {
        return ((HealthIndicator) contributor.getContributor(name)).health();
    }

    @Test
    void rotatedFilesReachNewHandshakesAndARefusedPairChangesNothing() throws Exception {
        Path files = Files.createDirectories(directory.resolve("live"));
        Path key = files.resolve("key.pem");
        Path chain = files.resolve("chain.pem");
        Identity first = pki.server();
        Identity second = pki.server();
        Identity third = pki.server();
        install(first, key, chain, "first");
        try (LogCapture log = new LogCapture()) {
            runner.withPropertyValues("securenet.acceptors.echo.address=127.0.0.1", "securenet.acceptors.echo.handler=echoHandler",
                    "securenet.acceptors.echo.certificates=file:" + chain, "securenet.acceptors.echo.private-key=file:" + key,
                    "securenet.acceptors.echo.reload-on-update=true").run(context -> {
                assertThat(context).hasNotFailed();
                TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
                EndpointHealthContributor health = context.getBean(EndpointHealthContributor.class);
                assertThat(served(acceptor)).isEqualTo(first.certificate());
                try (TcpSocket established = connect(acceptor)) {
                    assertThat(Lines.exchange(established, "before")).isEqualTo("echo: before");

                    install(second, key, chain, "second");
                    await("the rotated certificate served", ROTATION_TARGET, () -> servedQuietly(acceptor).equals(second.certificate()));
                    assertThat(Lines.exchange(established, "still here")).isEqualTo("echo: still here");
                }
                // a third-party client sees it too
                assertThat(opensslFingerprint(acceptor.localAddress().getPort()))
                        .isEqualTo(EndpointCertificates.fingerprint(second.certificate()));
                assertThat(componentHealth(health, "echo").getStatus()).isEqualTo(Status.UP);
                assertThat(componentHealth(health, "echo").getDetails()).containsKey("rotatedAt");

                // a key that does not belong to the chain: refused, the second identity stays, health says so
                Files.copy(third.writeTo(directory.resolve("third-key")).key(), key, StandardCopyOption.REPLACE_EXISTING);
                await("the refused pair reported", ROTATION_TARGET,
                        () -> componentHealth(health, "echo").getStatus().getCode().equals(EndpointHealthContributor.DEGRADED));
                assertThat(served(acceptor)).isEqualTo(second.certificate());
                assertThat(componentHealth(health, "echo").getDetails().get("rotationRefused").toString())
                        .contains("securenet.acceptors.echo");
                assertThat(String.join("\n", log.errors())).contains("securenet.acceptors.echo: refused the new certificate")
                        .contains(key.toString());

                // the matching chain arrives: served, and health is UP again
                install(third, key, chain, "third");
                await("the repaired pair served", ROTATION_TARGET, () -> servedQuietly(acceptor).equals(third.certificate()));
                assertThat(componentHealth(health, "echo").getStatus()).isEqualTo(Status.UP);
            });
        }
    }

    /** @return the SHA-256 fingerprint of the certificate {@code openssl s_client} is served, as OpenSSL prints it */
    private static String opensslFingerprint(int port) throws Exception {
        try (ExternalProcess openssl = ExternalProcess.start("sh", "-c", "openssl s_client -connect 127.0.0.1:" + port
                + " -servername localhost -verify_return_error -CAfile " + pki.writeRootTo(directory.resolve("openssl-root"))
                + " </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256")) {
            assertThat(openssl.awaitExit(WAIT)).isZero();
            return openssl.output().strip().replaceFirst("(?i)^sha256 Fingerprint=", "");
        }
    }

    private static X509Certificate servedQuietly(TcpAcceptor acceptor) {
        try {
            return served(acceptor);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSocketFollowsItsRotatedTrustedCertificates() throws Exception {
        TestPki otherPki = TestPki.create();
        Identity otherServer = otherPki.server();
        Path files = Files.createDirectories(directory.resolve("trust"));
        Path trusted = files.resolve("ca.pem");
        Files.copy(pki.writeRootTo(directory.resolve("trust-old")), trusted, StandardCopyOption.REPLACE_EXISTING);
        try (TcpAcceptor peer = TcpAcceptor.open()) {
            peer.securityProperties().useCertificates(List.of(otherServer.chainPem())).usePrivateKey(otherServer.keyPem());
            peer.bind("127.0.0.1", 0).listen();
            Thread acceptLoop = new Thread(() -> {
                while (true) {
                    try {
                        peer.accept().close();
                    } catch (SecureConnectionException refused) {
                        // the client did not trust us yet: the next one
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptLoop.setDaemon(true);
            acceptLoop.start();
            runner.withPropertyValues("securenet.sockets.backend.host=localhost",
                    "securenet.sockets.backend.port=" + peer.localAddress().getPort(),
                    "securenet.sockets.backend.trusted-certificates=file:" + trusted,
                    "securenet.sockets.backend.reload-on-update=true").run(context -> {
                assertThat(context).hasNotFailed();
                TcpSocketFactory backend = context.getBean("backend", TcpSocketFactory.class);
                assertThat(connects(backend)).as("a server from a root not yet trusted").isFalse();
                Files.copy(otherPki.writeRootTo(directory.resolve("trust-new")), trusted, StandardCopyOption.REPLACE_EXISTING);
                await("the new root trusted", ROTATION_TARGET, () -> connects(backend));
            });
        }
    }

    private static boolean connects(TcpSocketFactory factory) {
        try (TcpSocket socket = factory.connect()) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void reloadOnUpdateNeedsFilesItCanWatch() {
        Written files = pki.server().writeTo(directory.resolve("inline"));
        runner.withPropertyValues("securenet.acceptors.echo.address=127.0.0.1",
                "securenet.acceptors.echo.certificates=" + readQuietly(files.chain()),
                "securenet.acceptors.echo.private-key=file:" + files.key(),
                "securenet.acceptors.echo.reload-on-update=true").run(context -> {
            assertThat(context).hasFailed();
            SecurenetConfigurationException failure = configurationFailure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.certificates");
            assertThat(failure.description()).contains("reload-on-update watches files");
        });
        runner.withPropertyValues("securenet.acceptors.dev.address=127.0.0.1", "securenet.acceptors.dev.certificates=self-signed",
                "securenet.acceptors.dev.reload-on-update=true").run(context ->
                assertThat(configurationFailure(context.getStartupFailure()).property())
                        .isEqualTo("securenet.acceptors.dev.reload-on-update"));
        runner.withPropertyValues("spring.ssl.bundle.pem.server.keystore.certificate=file:" + files.chain(),
                "spring.ssl.bundle.pem.server.keystore.private-key=file:" + files.key(),
                "securenet.acceptors.bundled.address=127.0.0.1", "securenet.acceptors.bundled.bundle=server",
                "securenet.acceptors.bundled.reload-on-update=true").run(context -> {
            SecurenetConfigurationException failure = configurationFailure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.bundled.reload-on-update");
            assertThat(failure.action()).contains("spring.ssl.bundle.pem.server.reload-on-update");
        });
    }

    @Test
    void anEndpointOnAnSslBundleFollowsTheBundlesUpdates() throws Exception {
        Path files = Files.createDirectories(directory.resolve("bundle"));
        Path key = files.resolve("key.pem");
        Path chain = files.resolve("chain.pem");
        Identity first = pki.server();
        Identity second = pki.server();
        install(first, key, chain, "bundle-first");
        runner.withPropertyValues("spring.ssl.bundle.pem.server.keystore.certificate=file:" + chain,
                "spring.ssl.bundle.pem.server.keystore.private-key=file:" + key,
                "spring.ssl.bundle.pem.server.reload-on-update=true", "spring.ssl.bundle.watch.file.quiet-period=1s",
                "securenet.acceptors.bundled.address=127.0.0.1", "securenet.acceptors.bundled.bundle=server",
                "securenet.acceptors.bundled.handler=echoHandler").run(context -> {
            assertThat(context).hasNotFailed();
            TcpAcceptor acceptor = context.getBean("bundled", TcpAcceptor.class);
            assertThat(served(acceptor)).isEqualTo(first.certificate());
            install(second, key, chain, "bundle-second");
            await("the bundle's new certificate served", ROTATION_TARGET, () -> servedQuietly(acceptor).equals(second.certificate()));
        });
    }

    @Test
    void healthAndInfoDescribeEachEndpoint() {
        Written files = pki.server().writeTo(directory.resolve("described"));
        runner.withPropertyValues("securenet.acceptors.echo.address=127.0.0.1", "securenet.acceptors.echo.handler=echoHandler",
                "securenet.acceptors.echo.certificates=file:" + files.chain(), "securenet.acceptors.echo.private-key=file:" + files.key(),
                "securenet.sockets.backend.host=localhost", "securenet.sockets.backend.port=1").run(context -> {
            assertThat(context).hasNotFailed();
            EndpointHealthContributor health = context.getBean(EndpointHealthContributor.class);
            Health echo = componentHealth(health, "echo");
            assertThat(echo.getStatus()).isEqualTo(Status.UP);
            assertThat(echo.getDetails()).containsEntry("listening", true).containsEntry("protocol", "tls")
                    .containsKeys("address", "certificate", "notAfter", "daysUntilExpiry");
            assertThat(componentHealth(health, "backend").getStatus()).isEqualTo(Status.UP);

            Info.Builder info = new Info.Builder();
            context.getBean(EndpointInfoContributor.class).contribute(info);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> endpoints = (Map<String, Map<String, Object>>)
                    ((Map<String, Object>) info.build().getDetails().get("securenet")).get("endpoints");
            assertThat(endpoints).containsOnlyKeys("echo", "backend");
            @SuppressWarnings("unchecked")
            Map<String, Object> certificate = (Map<String, Object>) endpoints.get("echo").get("certificate");
            assertThat(certificate).containsKeys("subject", "issuer", "notAfter", "sha256");
            assertThat(certificate.toString()).doesNotContain("PRIVATE");

            // an acceptor that stopped listening is DOWN
            context.getBean("securenet.acceptors.echo.lifecycle", AcceptorLifecycle.class).stop();
            assertThat(componentHealth(health, "echo").getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void metersCountRealHandshakesConnectionsAndBytes() {
        Written files = pki.server().writeTo(directory.resolve("metered"));
        runner.withPropertyValues("securenet.acceptors.echo.address=127.0.0.1", "securenet.acceptors.echo.handler=echoHandler",
                "securenet.acceptors.echo.certificates=file:" + files.chain(), "securenet.acceptors.echo.private-key=file:" + files.key())
                .run(context -> {
            assertThat(context).hasNotFailed();
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
            try (TcpSocket socket = connect(acceptor)) {
                assertThat(Lines.exchange(socket, "metered")).isEqualTo("echo: metered");
                await("the open connection counted", WAIT, () -> gauge(meters) == 1.0);
            }
            try (TcpSocket untrusting = TcpSocket.open()) { // system roots only: refuses our test certificate
                untrusting.connect("localhost", acceptor.localAddress().getPort());
            } catch (SecureConnectionException expected) {
                // the client refused; the server's handshake fails too
            }
            await("the closed connection uncounted", WAIT, () -> gauge(meters) == 0.0);
            await("the failed handshake timed", WAIT, () -> meters.find(MicrometerEndpointObservers.HANDSHAKES)
                    .tags("endpoint", "echo", "outcome", "failure").timer() != null);
            assertThat(meters.get(MicrometerEndpointObservers.HANDSHAKES)
                    .tags("endpoint", "echo", "role", "server", "protocol", "tls", "outcome", "success", "reason", "none")
                    .timer().count()).isEqualTo(1);
            assertThat(meters.get(MicrometerEndpointObservers.BYTES).tags("endpoint", "echo", "direction", "in").counter().count())
                    .isEqualTo("metered\n".length());
            assertThat(meters.get(MicrometerEndpointObservers.BYTES).tags("endpoint", "echo", "direction", "out").counter().count())
                    .isEqualTo("echo: metered\n".length());
        });
    }

    /** Optional integrations stay optional: without their classes, no bean and no failure. */
    @Test
    void withoutActuatorOrMicrometerNothingIsAdded() {
        Written files = pki.server().writeTo(directory.resolve("plain"));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SecurenetAutoConfiguration.class,
                        SecurenetActuatorAutoConfiguration.class, SecurenetMetricsAutoConfiguration.class))
                .withBean("echoHandler", ConnectionHandler.class, () -> socket -> socket.getOutputStream().write('!'))
                .withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(MeterRegistry.class,
                        HealthIndicator.class, org.springframework.boot.actuate.info.InfoContributor.class))
                .withPropertyValues("securenet.acceptors.echo.address=127.0.0.1", "securenet.acceptors.echo.handler=echoHandler",
                        "securenet.acceptors.echo.certificates=file:" + files.chain(),
                        "securenet.acceptors.echo.private-key=file:" + files.key())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(EndpointObservers.class);
                    assertThat(context).doesNotHaveBean(EndpointHealthContributor.class);
                    assertThat(context).doesNotHaveBean(EndpointInfoContributor.class);
                    TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
                    assertThat(served(acceptor)).isEqualTo(acceptor.securityProperties().certificateChain().get(0));
                });
    }

    private static double gauge(MeterRegistry meters) {
        return meters.get(MicrometerEndpointObservers.CONNECTIONS).tags("endpoint", "echo").gauge().value();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecurenetConfigurationException configurationFailure(Throwable startupFailure) {
        for (Throwable cause = startupFailure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SecurenetConfigurationException configuration) {
                return configuration;
            }
        }
        throw new AssertionError("no SecurenetConfigurationException in", startupFailure);
    }
}
