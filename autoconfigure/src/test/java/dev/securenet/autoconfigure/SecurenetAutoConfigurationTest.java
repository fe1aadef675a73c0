package dev.securenet.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securenet.CertificateVerifier;
import dev.securenet.CorrettoCrypto;
import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import dev.securenet.TlsProvider;
import dev.securenet.UdpAcceptor;
import dev.securenet.testing.ExternalProcess;
import dev.securenet.testing.Lines;
import dev.securenet.testing.LogCapture;
import dev.securenet.testing.Serving;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import dev.securenet.testing.TestPki.Written;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter against an application context: every property, condition and startup failure. */
@Timeout(60)
class SecurenetAutoConfigurationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path directory;

    private static TestPki pki;
    private static Identity server;
    private static Written serverFiles;
    private static Path root;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
                    SecurenetAutoConfiguration.class))
            .withBean("echoHandler", ConnectionHandler.class, () -> socket -> {
                socket.setReadTimeout(WAIT);
                String line = Lines.readLine(socket.getInputStream());
                socket.getOutputStream().write(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8));
            });

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
        server = pki.server();
        serverFiles = server.writeTo(directory);
        root = pki.writeRootTo(directory);
    }

    private static String[] echoAcceptor(String... more) {
        List<String> properties = new java.util.ArrayList<>(List.of(
                "securenet.acceptors.echo.address=127.0.0.1",
                "securenet.acceptors.echo.port=0",
                "securenet.acceptors.echo.certificates=file:" + serverFiles.chain(),
                "securenet.acceptors.echo.private-key=file:" + serverFiles.key(),
                "securenet.acceptors.echo.handler=echoHandler"));
        properties.addAll(List.of(more));
        return properties.toArray(String[]::new);
    }

    private static String exchange(TcpAcceptor acceptor, String line) throws IOException {
        try (TcpSocket socket = TcpSocket.open()) {
            socket.securityProperties().useTrustedCertificates(pki.rootPem());
            socket.connect("localhost", acceptor.localAddress().getPort());
            return Lines.exchange(socket, line);
        }
    }

    private static SecurenetConfigurationException failure(Throwable startupFailure) {
        for (Throwable cause = startupFailure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SecurenetConfigurationException configuration) {
                FailureAnalysis analysis = new SecurenetFailureAnalyzer().analyze(startupFailure);
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription()).contains(configuration.property());
                assertThat(analysis.getAction()).isNotBlank();
                return configuration;
            }
        }
        throw new AssertionError("no SecurenetConfigurationException in", startupFailure);
    }

    @Test
    void nothingWithoutEntries() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(SecurenetEndpoints.class);
            assertThat(context).doesNotHaveBean(TcpAcceptor.class);
        });
    }

    @Test
    void acceptorFromPemFilesIsBoundAndServedByItsHandler() {
        runner.withPropertyValues(echoAcceptor()).run(context -> {
            assertThat(context).hasNotFailed();
            TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
            assertThat(exchange(acceptor, "hi")).isEqualTo("echo: hi");
            assertThat(exchange(acceptor, "again")).isEqualTo("echo: again");
        });
    }

    @Test
    void inlinePemAndClasspathLocationsWork() {
        runner.withPropertyValues(
                "securenet.acceptors.echo.address=127.0.0.1",
                "securenet.acceptors.echo.certificates=" + server.chainPem(),
                "securenet.acceptors.echo.private-key=" + server.keyPem(),
                "securenet.acceptors.echo.handler=echoHandler",
                "securenet.sockets.missing.host=localhost",
                "securenet.sockets.missing.port=1",
                "securenet.sockets.missing.trusted-certificates=classpath:no/such/file.pem").run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.sockets.missing.trusted-certificates");
            assertThat(failure.description()).contains("cannot read the certificates").contains("'classpath:no/such/file.pem'");
        });
        runner.withPropertyValues(
                "securenet.acceptors.echo.address=127.0.0.1",
                "securenet.acceptors.echo.certificates=" + server.chainPem(),
                "securenet.acceptors.echo.private-key=" + server.keyPem(),
                "securenet.acceptors.echo.handler=echoHandler").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(exchange(context.getBean("echo", TcpAcceptor.class), "inline")).isEqualTo("echo: inline");
        });
    }

    @Test
    void socketFactoryConnectsVerifiedAndInjectsByName() throws Exception {
        TcpAcceptor peer = TcpAcceptor.open();
        peer.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
        peer.bind("127.0.0.1", 0).listen();
        try (Serving serving = Serving.start(peer, Serving.echoLine())) {
            runner.withPropertyValues(
                    "securenet.sockets.backend.host=localhost",
                    "securenet.sockets.backend.port=" + serving.port(),
                    "securenet.sockets.backend.trusted-certificates=file:" + root).run(context -> {
                assertThat(context).hasNotFailed();
                TcpSocketFactory backend = context.getBean("backend", TcpSocketFactory.class);
                try (TcpSocket socket = backend.connect()) {
                    assertThat(socket.protocol()).startsWith("TLSv1.");
                    assertThat(Lines.exchange(socket, "via factory")).isEqualTo("echo: via factory");
                    assertThatThrownBy(() -> socket.securityProperties().disableSecurity())
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("securenet.sockets.backend.disable-security=true");
                }
            });
            // without the extra root, the server is not trusted: the factory's socket fails to connect
            runner.withPropertyValues("securenet.sockets.backend.host=localhost",
                    "securenet.sockets.backend.port=" + serving.port()).run(context -> {
                TcpSocketFactory backend = context.getBean("backend", TcpSocketFactory.class);
                assertThatThrownBy(backend::connect).isInstanceOf(dev.securenet.SecureConnectionException.class);
            });
        }
    }

    /** TCP_NODELAY on both ends by default; 'tcp-no-delay: false' turns it off. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "false"})
    void tcpNoDelayByDefaultAndByProperty(String setting) throws Exception {
        boolean expected = !setting.equals("false");
        TcpAcceptor peer = TcpAcceptor.open();
        peer.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
        peer.bind("127.0.0.1", 0).listen();
        CompletableFuture<Boolean> served = new CompletableFuture<>();
        List<String> properties = new java.util.ArrayList<>(List.of(echoAcceptor("securenet.acceptors.echo.handler=probeHandler",
                "securenet.sockets.backend.host=localhost", "securenet.sockets.backend.port=" + peer.localAddress().getPort(),
                "securenet.sockets.backend.trusted-certificates=file:" + root)));
        if (!setting.isEmpty()) {
            properties.add("securenet.acceptors.echo.tcp-no-delay=" + setting);
            properties.add("securenet.sockets.backend.tcp-no-delay=" + setting);
        }
        try (Serving serving = Serving.start(peer, Serving.echoLine())) {
            runner.withBean("probeHandler", ConnectionHandler.class, () -> socket -> served.complete(socket.isTcpNoDelay()))
                    .withPropertyValues(properties.toArray(String[]::new))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        try (TcpSocket socket = context.getBean("backend", TcpSocketFactory.class).connect()) {
                            assertThat(socket.isTcpNoDelay()).isEqualTo(expected);
                        }
                        TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
                        try (TcpSocket socket = TcpSocket.open()) {
                            socket.securityProperties().useTrustedCertificates(pki.rootPem());
                            socket.connect("localhost", acceptor.localAddress().getPort());
                            assertThat(served.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(expected);
                        }
                    });
        }
    }

    @Test
    void dtlsAcceptorIsBoundAndServedByItsDatagramHandler() {
        runner.withBean("datagramEcho", DatagramHandler.class, () -> peer -> {
                    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(2048);
                    int n = peer.receive(buffer, WAIT);
                    peer.send(java.nio.ByteBuffer.wrap(("echo: " + new String(buffer.array(), 0, n, StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8)));
                })
                .withPropertyValues(echoAcceptor("securenet.acceptors.echo.protocol=dtls",
                        "securenet.acceptors.echo.handler=datagramEcho", "securenet.acceptors.echo.max-peers=10",
                        "securenet.acceptors.echo.mtu=1400"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    dev.securenet.UdpAcceptor acceptor = context.getBean("echo", dev.securenet.UdpAcceptor.class);
                    try (dev.securenet.UdpSocket socket = dev.securenet.UdpSocket.open()) {
                        socket.securityProperties().useTrustedCertificates(pki.rootPem());
                        socket.setMtu(1400).connect("localhost", acceptor.localAddress().getPort());
                        socket.send(java.nio.ByteBuffer.wrap("datagram".getBytes(StandardCharsets.UTF_8)));
                        java.nio.ByteBuffer answer = java.nio.ByteBuffer.allocate(2048);
                        int n = socket.receive(answer, WAIT);
                        assertThat(new String(answer.array(), 0, n, StandardCharsets.UTF_8)).isEqualTo("echo: datagram");
                    }
                });
    }

    @Test
    void dtlsSocketFactoryConnectsVerified() throws Exception {
        try (dev.securenet.UdpAcceptor peer = dev.securenet.UdpAcceptor.open()) {
            peer.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
            peer.bind("127.0.0.1", 0);
            runner.withPropertyValues("securenet.sockets.sensor.protocol=dtls", "securenet.sockets.sensor.host=localhost",
                    "securenet.sockets.sensor.port=" + peer.localAddress().getPort(),
                    "securenet.sockets.sensor.trusted-certificates=file:" + root).run(context -> {
                assertThat(context).hasNotFailed();
                try (dev.securenet.UdpSocket socket = context.getBean("sensor", UdpSocketFactory.class).connect()) {
                    assertThat(socket.protocol()).isEqualTo("DTLSv1.2");
                    try (dev.securenet.UdpSocket accepted = peer.accept(WAIT)) {
                        assertThat(accepted.remoteAddress()).isEqualTo(socket.localAddress());
                    }
                }
            });
        }
    }

    @Test
    void dtlsAcceptorWithATcpHandlerFailsAtStartup() {
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.protocol=dtls")).run(context ->
                assertThat(failure(context.getStartupFailure()).description())
                        .contains("not a dev.securenet.autoconfigure.DatagramHandler"));
    }

    @Test
    void acceptorMadeByTheStarterRefusesToBeDowngraded() {
        runner.withPropertyValues(echoAcceptor()).run(context -> {
            TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
            assertThatThrownBy(() -> acceptor.securityProperties().disableSecurity())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("securenet.acceptors.echo.disable-security=true");
        });
    }

    @Test
    void plaintextOptOutIsExplicitAndWarns() {
        LogCapture output = new LogCapture();
        runner.withPropertyValues("securenet.acceptors.open.address=127.0.0.1", "securenet.acceptors.open.port=0",
                "securenet.acceptors.open.disable-security=true", "securenet.acceptors.open.handler=echoHandler").run(context -> {
            assertThat(context).hasNotFailed();
            TcpAcceptor acceptor = context.getBean("open", TcpAcceptor.class);
            try (TcpSocket socket = TcpSocket.open()) {
                socket.securityProperties().disableSecurity();
                socket.connect("127.0.0.1", acceptor.localAddress().getPort());
                assertThat(Lines.exchange(socket, "clear")).isEqualTo("echo: clear");
            }
            assertThat(output.warnings()).anySatisfy(warning ->
                    assertThat(warning).contains("securenet.acceptors.open (127.0.0.1:0) has security DISABLED by configuration"));
        });
        output.close();
    }

    @Test
    void plaintextBesideASecuritySettingFailsStartup() {
        runner.withPropertyValues("securenet.acceptors.open.address=127.0.0.1", "securenet.acceptors.open.disable-security=true",
                "securenet.acceptors.open.certificates=file:" + serverFiles.chain(),
                "securenet.acceptors.open.private-key=file:" + serverFiles.key()).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.open.disable-security");
            assertThat(failure.description()).contains("securenet.acceptors.open.certificates, securenet.acceptors.open.private-key")
                    .contains("would be ignored");
        });
        runner.withBean("anyServer", CertificateVerifier.class, () -> chain -> true)
                .withPropertyValues("securenet.sockets.backend.host=localhost", "securenet.sockets.backend.port=1",
                        "securenet.sockets.backend.disable-security=true", "securenet.sockets.backend.verifier=anyServer")
                .run(context -> assertThat(failure(context.getStartupFailure()).description()).contains("securenet.sockets.backend.verifier"));
    }

    /** Finite-field DHE only by its property, with a WARN; an OpenSSL client offering nothing else tells. */
    @Test
    void finiteFieldDheOnlyByItsPropertyAndWarned() throws Exception {
        Written rsa = pki.server("RSA").writeTo(directory.resolve("rsa"));
        String[] rsaAcceptor = echoAcceptor("securenet.acceptors.echo.certificates=file:" + rsa.chain(),
                "securenet.acceptors.echo.private-key=file:" + rsa.key());
        runner.withPropertyValues(rsaAcceptor).run(context ->
                assertThat(dheOnlyClient(context.getBean("echo", TcpAcceptor.class))).isFalse());
        LogCapture output = new LogCapture();
        try (output) {
            runner.withPropertyValues(rsaAcceptor).withPropertyValues("securenet.acceptors.echo.finite-field-dhe=true").run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(dheOnlyClient(context.getBean("echo", TcpAcceptor.class))).isTrue();
            });
            assertThat(output.warnings()).anySatisfy(warning ->
                    assertThat(warning).contains("securenet.acceptors.echo").contains("finite-field DHE"));
        }
        // an acceptor whose key cannot use the DHE suites: the setting could never take effect
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.finite-field-dhe=true")).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.finite-field-dhe");
            assertThat(failure.description()).contains("need an RSA key").contains("EC");
        });
    }

    /** Conscrypt by its property, for acceptors and sockets; what it cannot do fails startup, naming the property. */
    @Test
    void conscryptByItsPropertyAndWhatItCannotDoFailsStartup() throws Exception {
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.tls-provider=conscrypt")).run(context -> {
            assertThat(context).hasNotFailed();
            TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
            assertThat(acceptor.securityProperties().tlsProvider()).contains(TlsProvider.CONSCRYPT);
            assertThat(exchange(acceptor, "boring")).isEqualTo("echo: boring");
        });
        try (TcpAcceptor peer = TcpAcceptor.open()) {
            peer.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
            peer.bind("127.0.0.1", 0).listen();
            runner.withPropertyValues("securenet.sockets.backend.host=localhost",
                    "securenet.sockets.backend.port=" + peer.localAddress().getPort(),
                    "securenet.sockets.backend.trusted-certificates=file:" + root,
                    "securenet.sockets.backend.tls-provider=conscrypt").run(context -> {
                assertThat(context).hasNotFailed();
                try (TcpSocket socket = context.getBean("backend", TcpSocketFactory.class).connect();
                     TcpSocket accepted = peer.accept(WAIT)) {
                    assertThat(socket.securityProperties().tlsProvider()).contains(TlsProvider.CONSCRYPT);
                    assertThat(accepted.isSessionResumed()).isFalse();
                }
            });
        }

        String provider = "securenet.acceptors.echo.tls-provider";
        failsStartup(runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.protocol=dtls", provider + "=conscrypt")),
                provider, "TLS-only");
        Written rsa = pki.server("RSA").writeTo(directory.resolve("rsa-conscrypt"));
        failsStartup(runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.certificates=file:" + rsa.chain(),
                "securenet.acceptors.echo.private-key=file:" + rsa.key(), "securenet.acceptors.echo.finite-field-dhe=true",
                provider + "=conscrypt")), provider, "finite-field");
        Written ed25519 = pki.server("Ed25519").writeTo(directory.resolve("ed25519-conscrypt"));
        failsStartup(runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.certificates=file:" + ed25519.chain(),
                "securenet.acceptors.echo.private-key=file:" + ed25519.key(), provider + "=conscrypt")), provider, "EdDSA");
        runner.withClassLoader(new FilteredClassLoader("org.conscrypt"))
                .withPropertyValues(echoAcceptor(provider + "=conscrypt")).run(context -> {
                    SecurenetConfigurationException failure = failure(context.getStartupFailure());
                    assertThat(failure.property()).isEqualTo(provider);
                    assertThat(failure.action()).contains("org.conscrypt:conscrypt-openjdk-uber");
                });
    }

    /**
     * Conscrypt for every TLS entry, by {@code securenet.tls-provider} or by the library's system
     * property (the same key to Spring): applied, checked at startup, and an entry's own choice wins.
     */
    @Test
    void conscryptForEveryTlsEntryByTheRootPropertyOrTheSystemProperty() throws Exception {
        String provider = "securenet.acceptors.echo.tls-provider";
        runner.withPropertyValues(echoAcceptor("securenet.tls-provider=conscrypt")).run(context ->
                assertThat(context.getBean("echo", TcpAcceptor.class).securityProperties().tlsProvider())
                        .contains(TlsProvider.CONSCRYPT));
        try (UdpAcceptor peer = UdpAcceptor.open()) { // DTLS is the JDK's alone: not a DTLS entry's provider
            peer.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
            peer.bind("127.0.0.1", 0);
            runner.withPropertyValues("securenet.tls-provider=conscrypt", "securenet.sockets.sensor.protocol=dtls",
                    "securenet.sockets.sensor.host=localhost", "securenet.sockets.sensor.port=" + peer.localAddress().getPort(),
                    "securenet.sockets.sensor.trusted-certificates=file:" + root).run(context -> {
                try (dev.securenet.UdpSocket socket = context.getBean("sensor", UdpSocketFactory.class).connect();
                     dev.securenet.UdpSocket accepted = peer.accept(WAIT)) {
                    assertThat(socket.securityProperties().tlsProvider()).isEmpty();
                    assertThat(accepted.remoteAddress()).isEqualTo(socket.localAddress());
                }
            });
        }
        Written ed25519 = pki.server("Ed25519").writeTo(directory.resolve("ed25519-conscrypt-jvm"));
        String[] ed25519Acceptor = {"securenet.acceptors.echo.certificates=file:" + ed25519.chain(),
                "securenet.acceptors.echo.private-key=file:" + ed25519.key()};
        try {
            System.setProperty(TlsProvider.SYSTEM_PROPERTY, "conscrypt");
            runner.withPropertyValues(echoAcceptor(ed25519Acceptor)).run(context -> {
                SecurenetConfigurationException failure = failure(context.getStartupFailure());
                assertThat(failure.property()).isEqualTo(provider);
                assertThat(failure.description()).contains("EdDSA", "securenet.tls-provider");
                assertThat(failure.action()).contains(provider + ": jdk");
            });
            // (no exchange here: a test client would run on Conscrypt too, which cannot verify Ed25519)
            runner.withPropertyValues(echoAcceptor(ed25519Acceptor[0], ed25519Acceptor[1], provider + "=jdk")).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean("echo", TcpAcceptor.class).securityProperties().tlsProvider()).contains(TlsProvider.JDK);
            });
            System.setProperty(TlsProvider.SYSTEM_PROPERTY, "boringssl");
            runner.withPropertyValues(echoAcceptor()).run(context ->
                    assertThat(context).getFailure().hasStackTraceContaining("securenet.tls-provider").hasStackTraceContaining("boringssl"));
        } finally {
            System.clearProperty(TlsProvider.SYSTEM_PROPERTY);
        }
    }

    /** The application does not start, and the analysis names {@code property} and says {@code why}. */
    private static void failsStartup(ApplicationContextRunner application, String property, String why) {
        application.run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo(property);
            assertThat(failure.description()).contains(why);
        });
    }

    /** The Amazon Corretto Crypto Provider only by its property, installed before any endpoint, with a WARN. */
    @Test
    void correttoCryptoProviderOnlyByItsPropertyInstalledFirstAndWarned() {
        runner.withPropertyValues(echoAcceptor()).run(context -> assertThat(CorrettoCrypto.isInstalled()).isFalse());
        LogCapture output = new LogCapture();
        try (output) {
            runner.withPropertyValues(echoAcceptor("securenet.install-corretto-crypto-provider=true")).run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(java.security.Security.getProviders()[0].getName()).isEqualTo("AmazonCorrettoCryptoProvider");
                assertThat(exchange(context.getBean("echo", TcpAcceptor.class), "aws-lc")).isEqualTo("echo: aws-lc");
            });
            assertThat(output.warnings()).anySatisfy(warning -> assertThat(warning)
                    .contains("AmazonCorrettoCryptoProvider").contains("not only securenet"));
        } finally {
            java.security.Security.removeProvider("AmazonCorrettoCryptoProvider"); // the JVM as it was, for the other tests
        }
        runner.withPropertyValues(echoAcceptor("securenet.install-coretto-crypto-provider=true")).run(context -> {
            SecurenetConfigurationException mistyped = failure(context.getStartupFailure()); // a typo installs nothing silently
            assertThat(mistyped.description()).contains("install-coretto-crypto-provider");
            assertThat(mistyped.action()).contains("securenet.install-corretto-crypto-provider");
        });
    }

    /** @return whether an OpenSSL client offering only a DHE suite completed a TLS 1.2 exchange */
    private static boolean dheOnlyClient(TcpAcceptor acceptor) throws Exception {
        try (ExternalProcess client = ExternalProcess.start(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + acceptor.localAddress().getPort(), "-servername", "localhost", "-CAfile", root.toString(),
                "-verify_return_error", "-quiet", "-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256"))) {
            try {
                client.send("dhe\n");
                client.awaitLine("echo: dhe", WAIT);
                return true;
            } catch (IllegalStateException | java.io.UncheckedIOException refused) {
                assertThat(client.awaitExit(WAIT)).isNotZero();
                assertThat(client.output()).contains("alert handshake failure");
                return false;
            }
        }
    }

    @Test
    void sslBundleProvidesTheIdentityAndOwnPemIdentitiesBecomeBundles() {
        runner.withPropertyValues(
                "spring.ssl.bundle.pem.server.keystore.certificate=file:" + serverFiles.chain(),
                "spring.ssl.bundle.pem.server.keystore.private-key=file:" + serverFiles.key(),
                "securenet.acceptors.bundled.address=127.0.0.1",
                "securenet.acceptors.bundled.bundle=server",
                "securenet.acceptors.bundled.handler=echoHandler",
                "securenet.acceptors.echo.address=127.0.0.1",
                "securenet.acceptors.echo.certificates=file:" + serverFiles.chain(),
                "securenet.acceptors.echo.private-key=file:" + serverFiles.key()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(exchange(context.getBean("bundled", TcpAcceptor.class), "bundled")).isEqualTo("echo: bundled");
            SslBundles bundles = context.getBean(SslBundles.class);
            assertThat(bundles.getBundleNames()).contains("server", "securenet-acceptor-echo").doesNotContain("securenet-acceptor-bundled");
            assertThat(bundles.getBundle("securenet-acceptor-echo").getStores().getKeyStore().getCertificate("echo"))
                    .isEqualTo(server.certificate());
        });
    }

    @Test
    void verifierBeanRequestsAndJudgesClientCertificates() {
        Identity client = pki.client("client.local");
        runner.withBean("onlyOurClient", CertificateVerifier.class, () -> chain -> chain.leaf().equals(client.certificate()))
                .withPropertyValues(echoAcceptor("securenet.acceptors.echo.verifier=onlyOurClient",
                        "securenet.acceptors.echo.client-authentication=required")).run(context -> {
                    assertThat(context).hasNotFailed();
                    TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
                    try (TcpSocket socket = TcpSocket.open()) {
                        socket.securityProperties().useTrustedCertificates(pki.rootPem())
                                .useCertificates(List.of(client.chainPem())).usePrivateKey(client.keyPem());
                        socket.connect("localhost", acceptor.localAddress().getPort());
                        assertThat(Lines.exchange(socket, "mutual")).isEqualTo("echo: mutual");
                    }
                    assertThatThrownBy(() -> exchange(acceptor, "anonymous")).isInstanceOf(IOException.class);
                });
    }

    @Test
    void selfSignedDevelopmentIdentityIsExplicitAndWarns() {
        LogCapture output = new LogCapture();
        runner.withPropertyValues("securenet.acceptors.dev.address=127.0.0.1", "securenet.acceptors.dev.certificates=self-signed",
                "securenet.acceptors.dev.handler=echoHandler").run(context -> {
            assertThat(context).hasNotFailed();
            TcpAcceptor acceptor = context.getBean("dev", TcpAcceptor.class);
            var certificate = acceptor.securityProperties().certificateChain().get(0);
            try (TcpSocket socket = TcpSocket.open()) {
                socket.securityProperties().useCertificateVerifier(chain -> chain.leaf().equals(certificate));
                socket.connect("localhost", acceptor.localAddress().getPort());
                assertThat(Lines.exchange(socket, "dev")).isEqualTo("echo: dev");
            }
            assertThat(output.warnings()).anySatisfy(warning ->
                    assertThat(warning).contains("self-signed DEVELOPMENT certificate").contains("dev-certificate.pem"));
        });
        output.close();
    }

    @Test
    void expiredOwnCertificateWarnsWithTheDate() {
        LogCapture output = new LogCapture();
        Written expired = pki.expiredServer().writeTo(directory.resolve("expired"));
        runner.withPropertyValues("securenet.acceptors.old.address=127.0.0.1",
                "securenet.acceptors.old.certificates=file:" + expired.chain(),
                "securenet.acceptors.old.private-key=file:" + expired.key()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output.warnings()).anySatisfy(warning ->
                    assertThat(warning).containsPattern("presents certificate 'CN=localhost' which expired on \\d{4}-\\d\\d-\\d\\d"));
        });
        output.close();
    }

    @Test
    void acceptorWithoutKeyOrChainFailsAtStartup() {
        runner.withPropertyValues("securenet.acceptors.bare.port=0").run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.bare.certificates");
            assertThat(failure.action()).contains("self-signed").contains("disable-security");
        });
        runner.withPropertyValues("securenet.acceptors.half.certificates=file:" + serverFiles.chain()).run(context ->
                assertThat(failure(context.getStartupFailure()).property()).isEqualTo("securenet.acceptors.half.private-key"));
    }

    @Test
    void keyNotMatchingTheChainFailsAtStartup() {
        Written other = pki.server().writeTo(directory.resolve("other"));
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.private-key=file:" + other.key())).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.private-key");
            assertThat(failure.description()).contains("does not belong to the leaf certificate");
        });
    }

    @Test
    void malformedPemFailsAtStartup() {
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.certificates=-----BEGIN CERTIFICATE-----\nAAAA\n"))
                .run(context -> {
                    SecurenetConfigurationException failure = failure(context.getStartupFailure());
                    assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.certificates");
                    assertThat(failure.description()).contains("not valid PEM");
                });
        // a truncated key is named as such, and never quoted in the analysis
        String truncatedKey = server.keyPem().substring(0, server.keyPem().indexOf("-----END"));
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.private-key=" + truncatedKey)).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.private-key");
            assertThat(failure.description()).contains("not valid PEM");
            String keyLine = truncatedKey.lines().skip(1).findFirst().orElseThrow();
            assertThat(new SecurenetFailureAnalyzer().analyze(context.getStartupFailure()).getDescription()).doesNotContain(keyLine);
        });
        // a key pasted without its PEM lines is not taken for a file name and quoted either
        String bareKey = String.join("", server.keyPem().lines().filter(line -> !line.startsWith("-----")).toList());
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.private-key=" + bareKey)).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.private-key");
            assertThat(failure.description()).contains("(the inline value)").doesNotContain(bareKey.substring(8, 40));
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                assertThat(String.valueOf(cause.getMessage())).doesNotContain(bareKey.substring(8, 40));
            }
        });
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.certificates=" + server.keyPem())).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.certificates");
            assertThat(failure.description()).containsIgnoringCase("missing certificates");
        });
    }

    @Test
    void wrongKeyPasswordFailsAtStartup() throws Exception {
        var encryptor = new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("right".toCharArray()).build();
        java.io.StringWriter pem = new java.io.StringWriter();
        try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pem)) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(server.key(), encryptor));
        }
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.private-key=" + pem,
                "securenet.acceptors.echo.private-key-password=wrong")).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.private-key");
            assertThat(failure.action()).contains("private-key-password");
        });
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.private-key=" + pem,
                "securenet.acceptors.echo.private-key-password=right")).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void missingOrMistypedBeansFailAtStartup() {
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.verifier=nobody",
                "securenet.acceptors.echo.client-authentication=required")).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.verifier");
            assertThat(failure.description()).contains("no bean named 'nobody'");
        });
        runner.withBean("notAVerifier", String.class, () -> "text")
                .withPropertyValues(echoAcceptor("securenet.acceptors.echo.verifier=notAVerifier",
                        "securenet.acceptors.echo.client-authentication=required")).run(context ->
                        assertThat(failure(context.getStartupFailure()).description()).contains("is a java.lang.String, not a dev.securenet.CertificateVerifier"));
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.handler=nobody")).run(context ->
                assertThat(failure(context.getStartupFailure()).property()).isEqualTo("securenet.acceptors.echo.handler"));
    }

    @Test
    void unknownSslBundleFailsAtStartup() {
        runner.withPropertyValues("securenet.acceptors.echo.bundle=nope").run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.bundle");
            assertThat(failure.description()).contains("no SSL bundle named 'nope'");
        });
    }

    @Test
    void portInUseFailsAtStartup() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.port=" + taken.getLocalPort())).run(context -> {
                SecurenetConfigurationException failure = failure(context.getStartupFailure());
                assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.port");
                assertThat(failure.description()).contains("cannot listen on");
            });
        }
    }

    @Test
    void oneNameForAnAcceptorAndASocketFailsAtStartup() {
        runner.withPropertyValues(echoAcceptor("securenet.sockets.echo.host=localhost", "securenet.sockets.echo.port=1"))
                .run(context -> assertThat(failure(context.getStartupFailure()).description()).contains("names both an acceptor and a socket"));
    }

    @Test
    void aBeanNameClashFailsAtStartupNamingBoth() {
        runner.withBean("echo", String.class, () -> "unrelated")
                .withPropertyValues(echoAcceptor())
                .run(context -> {
                    SecurenetConfigurationException failure = failure(context.getStartupFailure());
                    assertThat(failure.property()).isEqualTo("securenet.acceptors.echo");
                    assertThat(failure.description()).contains("'echo'").contains("already taken");
                });
        runner.withBean("backend", String.class, () -> "unrelated")
                .withPropertyValues("securenet.sockets.backend.host=localhost", "securenet.sockets.backend.port=1")
                .run(context -> assertThat(failure(context.getStartupFailure()).property()).isEqualTo("securenet.sockets.backend"));
    }

    @Test
    void aSettingTheProtocolDoesNotHaveFailsAtStartup() {
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.mtu=1400")).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.mtu");
            assertThat(failure.description()).contains("DTLS-only").contains("protocol is tls");
            assertThat(failure.action()).contains("protocol: dtls");
        });
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.protocol=dtls", "securenet.acceptors.echo.backlog=10"))
                .run(context -> {
                    SecurenetConfigurationException failure = failure(context.getStartupFailure());
                    assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.backlog");
                    assertThat(failure.description()).contains("TLS-only");
                });
        runner.withPropertyValues("securenet.sockets.backend.host=localhost", "securenet.sockets.backend.port=1",
                "securenet.sockets.backend.retransmission-timeout=2s").run(context ->
                assertThat(failure(context.getStartupFailure()).property()).isEqualTo("securenet.sockets.backend.retransmission-timeout"));
    }

    @Test
    void shutdownIsGracefulForRunningConnections() throws Exception {
        CountDownLatch handlerStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConnectionHandler slow = socket -> {
            handlerStarted.countDown();
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            socket.getOutputStream().write("finished\n".getBytes(StandardCharsets.UTF_8));
        };
        runner.withBean("slowHandler", ConnectionHandler.class, () -> slow)
                .withPropertyValues(echoAcceptor("securenet.acceptors.echo.handler=slowHandler",
                        "spring.lifecycle.timeout-per-shutdown-phase=20s")).run(context -> {
                    TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
                    int port = acceptor.localAddress().getPort();
                    try (TcpSocket client = TcpSocket.open()) {
                        client.securityProperties().useTrustedCertificates(pki.rootPem());
                        client.connect("localhost", port);
                        assertThat(handlerStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

                        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
                        // the acceptor stops accepting while the running connection may finish
                        assertThat(awaitRefused(port)).isTrue();
                        assertThat(closing).isNotDone();
                        release.countDown();
                        client.setReadTimeout(WAIT);
                        assertThat(Lines.readLine(client.getInputStream())).isEqualTo("finished");
                        closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    }
                });
    }

    @Test
    void maxConnectionsBoundsHowManyAreServedAtOnce() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(2);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        ConnectionHandler holding = socket -> {
            secondStarted.countDown();
            if (firstStarted.getCount() == 1) {
                firstStarted.countDown();
                try {
                    releaseFirst.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        runner.withBean("holdingHandler", ConnectionHandler.class, () -> holding)
                .withPropertyValues(echoAcceptor("securenet.acceptors.echo.handler=holdingHandler",
                        "securenet.acceptors.echo.max-connections=1")).run(context -> {
                    int port = context.getBean("echo", TcpAcceptor.class).localAddress().getPort();
                    try (TcpSocket first = TcpSocket.open(); TcpSocket second = TcpSocket.open()) {
                        first.securityProperties().useTrustedCertificates(pki.rootPem());
                        second.securityProperties().useTrustedCertificates(pki.rootPem());
                        first.connect("localhost", port);
                        assertThat(firstStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                        second.connect("localhost", port); // handshaken in the background, then waits for a slot
                        assertThat(secondStarted.await(300, TimeUnit.MILLISECONDS)).as("served while the first holds the only slot").isFalse();
                        releaseFirst.countDown();
                        assertThat(secondStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                    }
                });
    }

    /** Polls until a new TCP connection to the port is refused, within the wait. */
    private static boolean awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                Thread.onSpinWait();
            } catch (IOException refused) {
                return true;
            }
        }
        return false;
    }

    @Test
    void handlersRunOnVirtualThreadsWhenEnabled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        CompletableFuture<Boolean> virtual = new CompletableFuture<>();
        runner.withBean("probeHandler", ConnectionHandler.class, () -> socket -> {
                    try {
                        virtual.complete((Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
                    } catch (ReflectiveOperationException e) {
                        virtual.completeExceptionally(e);
                    }
                })
                .withPropertyValues(echoAcceptor("securenet.acceptors.echo.handler=probeHandler", "spring.threads.virtual.enabled=true"))
                .run(context -> {
                    TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
                    try (TcpSocket socket = TcpSocket.open()) {
                        socket.securityProperties().useTrustedCertificates(pki.rootPem());
                        socket.connect("localhost", acceptor.localAddress().getPort());
                        assertThat(virtual.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                    }
                });
    }

    @Test
    void aMistypedKeyFailsStartupNamingTheKeyAndTheNearestValidOne() {
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.trusted-certficates=file:" + root,
                "securenet.acceptors.echo.client-authentication=required")).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.trusted-certficates");
            assertThat(failure.description()).contains("not a securenet setting");
            assertThat(failure.action()).contains("Did you mean 'securenet.acceptors.echo.trusted-certificates'?");
        });
        // a typo in the map's own name, with no valid entry at all: still reported, not ignored
        runner.withPropertyValues("securenet.acceptor.echo.port=0").run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptor.echo.port");
            assertThat(failure.action()).contains("Did you mean 'securenet.acceptors.echo.port'?");
        });
        // a setting of acceptors on a socket
        runner.withPropertyValues("securenet.sockets.backend.host=localhost", "securenet.sockets.backend.port=1",
                "securenet.sockets.backend.client-authentication=required").run(context ->
                assertThat(failure(context.getStartupFailure()).property()).isEqualTo("securenet.sockets.backend.client-authentication"));
    }

    @Test
    void valuesOutOfRangeFailStartupWithAnAnalysis() {
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.port=70000")).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.port");
            assertThat(failure.action()).contains("0 to 65535");
        });
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.handshake-timeout=-5s")).run(context ->
                assertThat(failure(context.getStartupFailure()).property()).isEqualTo("securenet.acceptors.echo.handshake-timeout"));
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.max-connections=0")).run(context ->
                assertThat(failure(context.getStartupFailure()).property()).isEqualTo("securenet.acceptors.echo.max-connections"));
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.protocol=dtls", "securenet.acceptors.echo.mtu=10")).run(context ->
                assertThat(failure(context.getStartupFailure()).property()).isEqualTo("securenet.acceptors.echo.mtu"));
        runner.withPropertyValues("securenet.sockets.backend.host=localhost", "securenet.sockets.backend.port=0").run(context ->
                assertThat(failure(context.getStartupFailure()).property()).isEqualTo("securenet.sockets.backend.port"));
    }

    @Test
    void clientAuthenticationIsExplicitAndNeverInferred() {
        // trusted certificates on an acceptor without client-authentication: refused, not a silent "no client check"
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.trusted-certificates=file:" + root)).run(context -> {
            SecurenetConfigurationException failure = failure(context.getStartupFailure());
            assertThat(failure.property()).isEqualTo("securenet.acceptors.echo.client-authentication");
            assertThat(failure.action()).contains("client-authentication: required");
        });
        runner.withBean("anyClient", CertificateVerifier.class, () -> chain -> true)
                .withPropertyValues(echoAcceptor("securenet.acceptors.echo.verifier=anyClient")).run(context ->
                        assertThat(failure(context.getStartupFailure()).property()).isEqualTo("securenet.acceptors.echo.client-authentication"));
        // asking for client certificates with nothing to judge them: refused
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.client-authentication=required")).run(context ->
                assertThat(failure(context.getStartupFailure()).description()).contains("nothing is configured to judge"));
        // required with trusted certificates: a client from that root is served, an anonymous one is not
        Identity member = pki.client("member");
        runner.withPropertyValues(echoAcceptor("securenet.acceptors.echo.trusted-certificates=file:" + root,
                "securenet.acceptors.echo.client-authentication=required")).run(context -> {
            assertThat(context).hasNotFailed();
            TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
            try (TcpSocket socket = TcpSocket.open()) {
                socket.securityProperties().useTrustedCertificates(pki.rootPem())
                        .useCertificates(List.of(member.chainPem())).usePrivateKey(member.keyPem());
                socket.connect("localhost", acceptor.localAddress().getPort());
                assertThat(Lines.exchange(socket, "member")).isEqualTo("echo: member");
            }
            assertThatThrownBy(() -> exchange(acceptor, "anonymous")).isInstanceOf(IOException.class);
        });
    }

    @Test
    void aReplacingVerifierWithTrustedCertificatesFailsExplainingTheTwoModes() {
        runner.withBean("anyServer", CertificateVerifier.class, () -> chain -> true)
                .withPropertyValues("securenet.sockets.backend.host=localhost", "securenet.sockets.backend.port=1",
                        "securenet.sockets.backend.verifier=anyServer",
                        "securenet.sockets.backend.trusted-certificates=file:" + root).run(context -> {
                    SecurenetConfigurationException failure = failure(context.getStartupFailure());
                    assertThat(failure.property()).isEqualTo("securenet.sockets.backend.verifier");
                    assertThat(failure.description()).contains("would never be used");
                    assertThat(failure.action()).contains("certificate-check").contains("alone decides");
                });
    }

    @Test
    void aCertificateCheckRunsOnTopOfTheDefaultEvaluation() throws Exception {
        TcpAcceptor peer = TcpAcceptor.open();
        peer.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
        peer.bind("127.0.0.1", 0).listen();
        try (Serving serving = Serving.start(peer, Serving.echoLine())) {
            String[] backend = {"securenet.sockets.backend.host=localhost", "securenet.sockets.backend.port=" + serving.port(),
                    "securenet.sockets.backend.trusted-certificates=file:" + root,
                    "securenet.sockets.backend.certificate-check=pin"};
            runner.withBean("pin", CertificateVerifier.class, () -> chain -> chain.leaf().equals(server.certificate()))
                    .withPropertyValues(backend).run(context -> {
                        try (TcpSocket socket = context.getBean("backend", TcpSocketFactory.class).connect()) {
                            assertThat(Lines.exchange(socket, "pinned")).isEqualTo("echo: pinned");
                        }
                    });
            runner.withBean("pin", CertificateVerifier.class, () -> chain -> false)
                    .withPropertyValues(backend).run(context -> assertThatThrownBy(context.getBean("backend", TcpSocketFactory.class)::connect)
                            .isInstanceOfSatisfying(dev.securenet.SecureConnectionException.class, failure ->
                                    assertThat(failure.reason()).isEqualTo(dev.securenet.SecureConnectionException.Reason.VERIFIER_REJECTED)));
        }
    }

    @Test
    void aSilentClientIsCutOffAfterTheReadTimeout() {
        runner.withBean("reader", ConnectionHandler.class, () -> socket -> socket.getInputStream().read())
                .withPropertyValues(echoAcceptor("securenet.acceptors.echo.handler=reader",
                        "securenet.acceptors.echo.read-timeout=500ms")).run(context -> {
            TcpAcceptor acceptor = context.getBean("echo", TcpAcceptor.class);
            try (TcpSocket socket = TcpSocket.open()) {
                socket.securityProperties().useTrustedCertificates(pki.rootPem());
                socket.connect("localhost", acceptor.localAddress().getPort());
                socket.setReadTimeout(WAIT);
                long start = System.nanoTime();
                // the handler sets no timeout of its own: the starter's ends its read, and the connection
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
            }
        });
    }
}
