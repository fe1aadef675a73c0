package dev.securenet.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securenet.ClientAuthentication;
import dev.securenet.SecureConnectionException;
import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.UdpAcceptor;
import dev.securenet.UdpSocket;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.MessageCallback;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.SessionAdapter;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our DTLS endpoints against Eclipse Californium Scandium, an independent DTLS 1.2 stack (the
 * reference for CoAP/IoT), running in this JVM on 127.0.0.1: each as client and as server, with
 * and without client certificates, full handshakes and resumption, a server with Connection ID
 * (RFC 9146), and the refusals, each with the right reason on our side and an alert on the wire
 * (the peer gives up at once, not by timeout). Scandium's datagrams are limited to our MTU, 1200.
 */
@Timeout(60)
class ScandiumInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Well under Scandium's own handshake timeout (its retransmissions), so an alert must have ended it. */
    private static final Duration AT_ONCE = Duration.ofSeconds(3);

    private static TestPki pki;
    private static Identity server;
    private static Identity device;

    private DTLSConnector scandium;
    private final BlockingQueue<RawData> inbox = new LinkedBlockingQueue<>();

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
        server = pki.server();
        device = pki.client("device");
    }

    @AfterEach
    void stop() {
        if (scandium != null) {
            scandium.destroy();
        }
    }

    private static Configuration configuration() {
        DtlsConfig.register();
        Configuration configuration = new Configuration();
        // its datagram limit is the MTU less 64 bytes of IP and UDP headers: 1200, as ours
        configuration.set(DtlsConfig.DTLS_MAX_TRANSMISSION_UNIT, 1264);
        configuration.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 1000, TimeUnit.MILLISECONDS);
        configuration.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 4); // 1 + 2 + 4 + 8 + 16 s: far beyond AT_ONCE
        configuration.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        configuration.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
        return configuration;
    }

    private static X509Certificate[] chain(Identity identity) {
        return identity.chain().toArray(X509Certificate[]::new);
    }

    private static NewAdvancedCertificateVerifier trustingOurRoot() {
        return StaticNewAdvancedCertificateVerifier.builder().setTrustedCertificates(pki.rootCertificate()).build();
    }

    /** Counts Scandium's full and abbreviated (resumed) handshakes. */
    private static final class Handshakes extends SessionAdapter {
        volatile int full;
        volatile int resumed;

        @Override
        public void handshakeCompleted(Handshaker handshaker) {
            if (handshaker.isFullHandshake()) {
                full++;
            } else {
                resumed++;
            }
        }
    }

    // --- a Scandium server, our UdpSocket as its client ---

    private InetSocketAddress scandiumServer(CertificateAuthenticationMode clientAuthentication, Integer connectionIdLength,
                                             Handshakes handshakes) throws IOException {
        DtlsConnectorConfig.Builder builder = DtlsConnectorConfig.builder(configuration())
                .setAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY)
                .set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, clientAuthentication)
                .set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, connectionIdLength)
                .setCertificateIdentityProvider(new SingleCertificateProvider(server.key(), chain(server), CertificateType.X_509))
                .setSessionListener(handshakes);
        if (clientAuthentication != CertificateAuthenticationMode.NONE) {
            builder.setAdvancedCertificateVerifier(trustingOurRoot());
        }
        DTLSConnector connector = new DTLSConnector(builder.build());
        connector.setRawDataReceiver(raw -> connector.send(RawData.outbound(("echo: " + new String(raw.getBytes(),
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), raw.getEndpointContext(), null, false)));
        connector.start();
        scandium = connector;
        return connector.getAddress();
    }

    private static UdpSocket ourClient(Identity identity) {
        UdpSocket socket = UdpSocket.open();
        socket.securityProperties().useTrustedCertificates(pki.rootPem());
        if (identity != null) {
            socket.securityProperties().useCertificates(List.of(identity.chainPem())).usePrivateKey(identity.keyPem());
        }
        return socket;
    }

    private static String exchange(UdpSocket socket, String text) throws IOException {
        socket.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        ByteBuffer answer = ByteBuffer.allocate(2048);
        int length = socket.receive(answer, WAIT);
        return new String(answer.array(), 0, length, StandardCharsets.UTF_8);
    }

    @Test
    void ourClientWithScandiumServerResumesItsSession() throws Exception {
        Handshakes handshakes = new Handshakes();
        InetSocketAddress address = scandiumServer(CertificateAuthenticationMode.NONE, null, handshakes);
        for (int i = 0; i < 2; i++) {
            try (UdpSocket socket = ourClient(null)) {
                socket.connect("localhost", address.getPort());
                assertThat(socket.protocol()).isEqualTo("DTLSv1.2");
                assertThat(exchange(socket, "hello " + i)).isEqualTo("echo: hello " + i);
            }
        }
        assertThat(handshakes.full).isEqualTo(1);
        assertThat(handshakes.resumed).as("the second socket resumed").isEqualTo(1);
    }

    @Test
    void ourClientPresentsItsCertificateToScandium() throws Exception {
        InetSocketAddress address = scandiumServer(CertificateAuthenticationMode.NEEDED, null, new Handshakes());
        try (UdpSocket socket = ourClient(device)) {
            socket.connect("localhost", address.getPort());
            assertThat(exchange(socket, "with a certificate")).isEqualTo("echo: with a certificate");
        }
    }

    @Test
    void ourClientWithoutACertificateIsToldItNeedsOne() throws Exception {
        InetSocketAddress address = scandiumServer(CertificateAuthenticationMode.NEEDED, null, new Handshakes());
        try (UdpSocket socket = ourClient(null)) {
            long start = System.nanoTime();
            SecureConnectionException failure = catchThrowableOfType(SecureConnectionException.class,
                    () -> socket.connect("localhost", address.getPort()));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused with an alert, not by timeout").isLessThan(AT_ONCE);
            assertThat(failure.reason()).as(failure.getMessage()).isEqualTo(Reason.CERTIFICATE_REQUIRED);
        }
    }

    @Test
    void ourClientConnectsToAScandiumServerUsingConnectionIds() throws Exception {
        InetSocketAddress address = scandiumServer(CertificateAuthenticationMode.NONE, 6, new Handshakes());
        try (UdpSocket socket = ourClient(null)) {
            socket.connect("localhost", address.getPort());
            assertThat(exchange(socket, "with connection ids on offer")).isEqualTo("echo: with connection ids on offer");
        }
    }

    @Test
    void ourClientRefusesAScandiumServerForAnotherHost() throws Exception {
        InetSocketAddress address = scandiumServer(CertificateAuthenticationMode.NONE, null, new Handshakes());
        try (UdpSocket socket = ourClient(null)) {
            socket.securityProperties().setHost("www.example.com");
            assertThat(catchThrowableOfType(SecureConnectionException.class,
                    () -> socket.connect("127.0.0.1", address.getPort())).reason()).isEqualTo(Reason.HOST_MISMATCH);
        }
    }

    // --- our UdpAcceptor, a Scandium client ---

    private record Outcome(String answer, Throwable error, Duration took) {
    }

    /** A Scandium client: sends one message to {@code acceptor} and waits for the answer or the failure. */
    private Outcome scandiumClient(UdpAcceptor acceptor, Identity identity, boolean forceResumption, Handshakes handshakes)
            throws Exception {
        if (scandium == null) {
            DtlsConnectorConfig.Builder builder = DtlsConnectorConfig.builder(configuration())
                    .setAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY)
                    .set(DtlsConfig.DTLS_USE_SERVER_NAME_INDICATION, true)
                    .set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, true)
                    .setAdvancedCertificateVerifier(trustingOurRoot())
                    .setSessionListener(handshakes);
            if (identity != null) {
                builder.setCertificateIdentityProvider(new SingleCertificateProvider(identity.key(), chain(identity),
                        CertificateType.X_509));
            }
            scandium = new DTLSConnector(builder.build());
            scandium.setRawDataReceiver(inbox::add);
            scandium.start();
        }
        InetSocketAddress address = acceptor.localAddress();
        if (forceResumption) {
            scandium.forceResumeSessionFor(address);
        }
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        EndpointContext destination = new AddressEndpointContext(address, "localhost", null);
        long start = System.nanoTime();
        scandium.send(RawData.outbound("hello".getBytes(StandardCharsets.UTF_8), destination, new MessageCallback() {
            @Override
            public void onConnecting() {
            }

            @Override
            public void onDtlsRetransmission(int flight) {
            }

            @Override
            public void onContextEstablished(EndpointContext context) {
            }

            @Override
            public void onSent() {
            }

            @Override
            public void onError(Throwable error) {
                failed.complete(error);
            }
        }, false));
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            RawData answer = inbox.poll(50, TimeUnit.MILLISECONDS);
            if (answer != null) {
                return new Outcome(new String(answer.getBytes(), StandardCharsets.UTF_8), null, Duration.ofNanos(System.nanoTime() - start));
            }
            if (failed.isDone()) {
                return new Outcome(null, failed.get(), Duration.ofNanos(System.nanoTime() - start));
            }
        }
        throw new AssertionError("Scandium neither answered nor failed");
    }

    /** Echoes every message of one accepted peer. */
    private static CompletableFuture<UdpSocket> serveOne(UdpAcceptor acceptor) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                UdpSocket peer = acceptor.accept(WAIT);
                ByteBuffer buffer = ByteBuffer.allocate(2048);
                int length = peer.receive(buffer, WAIT);
                peer.send(ByteBuffer.wrap(("echo: " + new String(buffer.array(), 0, length, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8)));
                return peer;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static UdpAcceptor ourAcceptor(ClientAuthentication clientAuthentication) throws IOException {
        UdpAcceptor acceptor = UdpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
        if (clientAuthentication != ClientAuthentication.NONE) {
            acceptor.securityProperties().setClientAuthentication(clientAuthentication).useTrustedCertificates(pki.rootPem());
        }
        return acceptor.bind("127.0.0.1", 0);
    }

    @Test
    void scandiumClientWithOurAcceptorResumesItsSession() throws Exception {
        Handshakes handshakes = new Handshakes();
        try (UdpAcceptor acceptor = ourAcceptor(ClientAuthentication.NONE)) {
            CompletableFuture<UdpSocket> served = serveOne(acceptor);
            assertThat(scandiumClient(acceptor, null, false, handshakes).answer()).isEqualTo("echo: hello");
            served.get(WAIT.toSeconds(), TimeUnit.SECONDS).close();

            served = serveOne(acceptor);
            assertThat(scandiumClient(acceptor, null, true, handshakes).answer()).isEqualTo("echo: hello");
            served.get(WAIT.toSeconds(), TimeUnit.SECONDS).close();
            assertThat(handshakes.full).isEqualTo(1);
            assertThat(handshakes.resumed).as("the second handshake resumed").isEqualTo(1);
        }
    }

    @Test
    void scandiumClientCertificateIsCheckedByOurAcceptor() throws Exception {
        try (UdpAcceptor acceptor = ourAcceptor(ClientAuthentication.REQUIRED)) {
            CompletableFuture<UdpSocket> served = serveOne(acceptor);
            assertThat(scandiumClient(acceptor, device, false, new Handshakes()).answer()).isEqualTo("echo: hello");
            try (UdpSocket peer = served.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                assertThat(peer.peerCertificates().orElseThrow().certificates().get(0)).isEqualTo(device.certificate());
            }
        }
    }

    @Test
    void scandiumClientWithoutACertificateIsRefusedAtOnce() throws Exception {
        try (UdpAcceptor acceptor = ourAcceptor(ClientAuthentication.REQUIRED)) {
            CompletableFuture<SecureConnectionException> refused = CompletableFuture.supplyAsync(() ->
                    catchThrowableOfType(SecureConnectionException.class, () -> acceptor.accept(WAIT)));
            Outcome outcome = scandiumClient(acceptor, null, false, new Handshakes());
            assertThat(outcome.error()).as("Scandium hears an alert").isInstanceOf(HandshakeException.class);
            assertThat(outcome.took()).as("and gives up at once, not by its timeout").isLessThan(AT_ONCE);
            assertThat(refused.get(WAIT.toSeconds(), TimeUnit.SECONDS).reason()).isEqualTo(Reason.CERTIFICATE_REQUIRED);
        }
    }
}
