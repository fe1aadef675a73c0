package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.testing.Lines;
import dev.securenet.testing.Serving;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our client against our acceptor: the handshake, every verification failure, client certificates. */
@Timeout(60)
class TlsClientServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestPki pki;
    private static TestPki otherPki;

    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
        otherPki = TestPki.create();
    }

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private Serving serve(Identity identity) throws IOException {
        TcpAcceptor acceptor = TcpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(identity.chainPem())).usePrivateKey(identity.keyPem());
        return serve(acceptor);
    }

    private Serving serve(TcpAcceptor acceptor) throws IOException {
        resources.add(acceptor);
        acceptor.bind("127.0.0.1", 0).listen();
        Serving serving = Serving.start(acceptor, Serving.echoLine());
        resources.add(serving);
        return serving;
    }

    private TcpSocket trustingClient() {
        TcpSocket socket = TcpSocket.open();
        resources.add(socket);
        socket.securityProperties().useTrustedCertificates(pki.rootPem());
        return socket;
    }

    /** TCP_NODELAY is on for both ends unless turned off, so handshake flights never wait for a delayed ACK. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void smallWritesGoOutAtOnceUnlessTurnedOff(boolean noDelay) throws Exception {
        Identity server = pki.server();
        TcpAcceptor acceptor = TcpAcceptor.open();
        resources.add(acceptor);
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
        TcpSocket client = trustingClient();
        if (!noDelay) {
            acceptor.setTcpNoDelay(false);
            client.setTcpNoDelay(false);
        }
        acceptor.bind("127.0.0.1", 0).listen();
        client.connect("localhost", acceptor.localAddress().getPort());
        try (TcpSocket accepted = acceptor.accept(WAIT)) {
            assertThat(client.isTcpNoDelay()).isEqualTo(noDelay);
            assertThat(accepted.isTcpNoDelay()).isEqualTo(noDelay);
            client.setTcpNoDelay(!noDelay); // and on a connected socket
            assertThat(client.isTcpNoDelay()).isEqualTo(!noDelay);
        }
    }

    /** The second connection to the same server resumes its session, and both ends say so; the first does not. */
    @Test
    void repeatedConnectionsResumeAndSaySo() throws Exception {
        Identity server = pki.server();
        TcpAcceptor acceptor = TcpAcceptor.open();
        resources.add(acceptor);
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
        acceptor.bind("127.0.0.1", 0).listen();
        for (int i = 0; i < 2; i++) {
            try (TcpSocket client = trustingClient()) {
                client.connect("localhost", acceptor.localAddress().getPort());
                try (TcpSocket served = acceptor.accept(WAIT)) {
                    assertThat(client.isSessionResumed()).as("client %d", i).isEqualTo(i > 0);
                    assertThat(served.isSessionResumed()).as("server %d", i).isEqualTo(i > 0);
                    // TLS 1.3 tickets come after the handshake: the client takes them in with data
                    served.getOutputStream().write('!');
                    served.getOutputStream().flush();
                    client.setReadTimeout(WAIT);
                    assertThat(client.getInputStream().read()).isEqualTo('!');
                }
            }
        }
    }

    /** A client with a certificate from the test root is served; one from another root is refused as untrusted. */
    private void memberIsServedAndStrangerRefused(Serving serving) throws Exception {
        TcpSocket good = trustingClientPresenting(pki.client("member"));
        good.connect("localhost", serving.port());
        assertThat(Lines.exchange(good, "member")).isEqualTo("echo: member");

        TcpSocket bad = trustingClientPresenting(otherPki.client("stranger"));
        assertThatThrownBy(() -> {
            bad.connect("localhost", serving.port());
            Lines.exchange(bad, "stranger");
        }).isInstanceOf(IOException.class);
        assertThat(serving.nextFailure(WAIT)).isInstanceOfSatisfying(SecureConnectionException.class,
                failure -> assertThat(failure.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE));
    }

    /** @return a client trusting the test root and presenting {@code identity} */
    private TcpSocket trustingClientPresenting(Identity identity) {
        TcpSocket socket = trustingClient();
        socket.securityProperties().useCertificates(List.of(identity.chainPem())).usePrivateKey(identity.keyPem());
        return socket;
    }

    private static SecureConnectionException connectFails(TcpSocket socket, String host, int port) {
        SecureConnectionException failure = catchThrowableOfType(SecureConnectionException.class,
                () -> socket.connect(host, port));
        assertThat(failure).as("connect to %s:%d must fail", host, port).isNotNull();
        assertThat(socket.isConnected()).isFalse();
        return failure;
    }

    @Test
    void handshakeVerifiesTheServerAndCarriesData() throws Exception {
        Identity server = pki.server();
        Serving serving = serve(server);
        TcpSocket socket = trustingClient();

        socket.connect("localhost", serving.port());

        assertThat(socket.protocol()).isEqualTo("TLSv1.3");
        assertThat(socket.peerCertificates()).get()
                .satisfies(chain -> assertThat(chain.leaf()).isEqualTo(server.certificate()))
                .satisfies(chain -> assertThat(chain.certificates()).hasSize(2));
        assertThat(Lines.exchange(socket, "hello")).isEqualTo("echo: hello");
        // JSSE sends SNI only for names with a dot; we send it for "localhost" too
        assertThat(serving.nextServed(WAIT).requestedServerName()).contains("localhost");
    }

    @Test
    void byteBufferReadAndWrite() throws Exception {
        Serving serving = serve(pki.server());
        TcpSocket socket = trustingClient();
        socket.connect("localhost", serving.port());
        socket.setReadTimeout(WAIT);

        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(64);
        direct.put("ping\n".getBytes(StandardCharsets.UTF_8)).flip();
        assertThat(socket.write(direct)).isEqualTo(5);
        java.nio.ByteBuffer answer = java.nio.ByteBuffer.allocate(64);
        while (answer.position() < "echo: ping\n".length()) {
            assertThat(socket.read(answer)).isPositive();
        }
        assertThat(new String(answer.array(), 0, answer.position(), StandardCharsets.UTF_8)).isEqualTo("echo: ping\n");
    }

    @Test
    void setHostNamesTheServerWhenConnectingToAnAddress() throws Exception {
        Serving serving = serve(pki.serverWithoutIp());
        TcpSocket socket = trustingClient();
        socket.securityProperties().setHost("localhost");

        socket.connect("127.0.0.1", serving.port());

        assertThat(Lines.exchange(socket, "by name")).isEqualTo("echo: by name");
        assertThat(serving.nextServed(WAIT).requestedServerName()).contains("localhost");
    }

    @Test
    void anAddressWithoutHostIsVerifiedAgainstTheCertificatesAddresses() throws Exception {
        Serving serving = serve(pki.server()); // names IP:127.0.0.1
        TcpSocket socket = trustingClient();

        socket.connect("127.0.0.1", serving.port());

        assertThat(Lines.exchange(socket, "by address")).isEqualTo("echo: by address");
        assertThat(serving.nextServed(WAIT).requestedServerName()).isEmpty(); // no SNI for addresses
    }

    @Test
    void anAddressWithoutHostFailsWhenTheCertificateNamesNoAddress() throws Exception {
        Serving serving = serve(pki.serverWithoutIp());

        SecureConnectionException failure = connectFails(trustingClient(), "127.0.0.1", serving.port());

        assertThat(failure.reason()).isEqualTo(Reason.HOST_MISMATCH);
        assertThat(failure).hasMessageContaining("setHost").hasMessageContaining("DNS:localhost");
    }

    @Test
    void wrongHostIsRefused() throws Exception {
        Serving serving = serve(pki.server());
        TcpSocket socket = trustingClient();
        socket.securityProperties().setHost("other.example");

        SecureConnectionException failure = connectFails(socket, "127.0.0.1", serving.port());

        assertThat(failure.reason()).isEqualTo(Reason.HOST_MISMATCH);
        assertThat(failure).hasMessageContaining("'other.example'");
    }

    @Test
    void certificateForAnotherHostIsRefused() throws Exception {
        Serving serving = serve(pki.otherHost());

        assertThat(connectFails(trustingClient(), "localhost", serving.port()).reason()).isEqualTo(Reason.HOST_MISMATCH);
    }

    @Test
    void untrustedRootIsRefused() throws Exception {
        Serving serving = serve(pki.server());
        TcpSocket systemRootsOnly = TcpSocket.open();
        resources.add(systemRootsOnly);
        TcpSocket otherRoot = TcpSocket.open();
        resources.add(otherRoot);
        otherRoot.securityProperties().useTrustedCertificates(otherPki.rootPem());

        SecureConnectionException failure = connectFails(systemRootsOnly, "localhost", serving.port());

        assertThat(failure.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
        assertThat(failure).hasMessageContaining("useTrustedCertificates");
        assertThat(connectFails(otherRoot, "localhost", serving.port()).reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        Serving serving = serve(pki.expiredServer());

        SecureConnectionException failure = connectFails(trustingClient(), "localhost", serving.port());

        assertThat(failure.reason()).isEqualTo(Reason.CERTIFICATE_EXPIRED);
        assertThat(failure).hasMessageContaining("valid until");
    }

    @Test
    void verifierReplacesTheDefaultEvaluation() throws Exception {
        Identity server = pki.otherHost(); // neither trusted nor for this host: only the verifier decides
        Serving serving = serve(server);
        List<CertificateChain> seen = new CopyOnWriteArrayList<>();
        TcpSocket socket = TcpSocket.open();
        resources.add(socket);
        socket.securityProperties().useCertificateVerifier(chain -> seen.add(chain) && chain.leaf().equals(server.certificate()));

        socket.connect("localhost", serving.port());

        assertThat(Lines.exchange(socket, "pinned")).isEqualTo("echo: pinned");
        assertThat(seen).singleElement().satisfies(chain -> {
            assertThat(chain.expectedHost()).contains("localhost");
            assertThat(chain.der()).hasSize(2);
            assertThat(chain.pem().get(0)).startsWith("-----BEGIN CERTIFICATE-----");
        });
    }

    @Test
    void verifierSayingNoOrThrowingRejects() throws Exception {
        Serving serving = serve(pki.server());
        TcpSocket no = TcpSocket.open();
        resources.add(no);
        no.securityProperties().useCertificateVerifier(chain -> false);
        TcpSocket throwing = TcpSocket.open();
        resources.add(throwing);
        throwing.securityProperties().useCertificateVerifier(chain -> {
            throw new IllegalStateException("pin store unavailable");
        });

        assertThat(connectFails(no, "localhost", serving.port()).reason()).isEqualTo(Reason.VERIFIER_REJECTED);
        SecureConnectionException thrown = connectFails(throwing, "localhost", serving.port());
        assertThat(thrown.reason()).isEqualTo(Reason.VERIFIER_REJECTED);
        assertThat(thrown).hasMessageContaining("pin store unavailable");
    }

    @Test
    void plaintextServerIsRecognised() throws Exception {
        TcpAcceptor plaintext = TcpAcceptor.open();
        plaintext.securityProperties().disableSecurity();
        resources.add(plaintext);
        plaintext.bind("127.0.0.1", 0).listen();
        Serving serving = Serving.start(plaintext, socket -> {
            socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        resources.add(serving);

        assertThat(connectFails(trustingClient(), "localhost", serving.port()).reason()).isEqualTo(Reason.PEER_NOT_TLS);
    }

    @Test
    void resumedSessionsAreStillCheckedAgainstTheHost() throws Exception {
        Serving serving = serve(pki.server());
        // the server's chain is checked in full handshakes only: a resumed one presents no certificate
        AtomicInteger fullHandshakes = new AtomicInteger();
        CertificateVerifier counting = chain -> fullHandshakes.incrementAndGet() > 0;

        for (int i = 0; i < 2; i++) { // one settings, so one engine and session cache
            TcpSocket socket = trustingClient();
            socket.securityProperties().setHost("localhost").useCertificateCheck(counting);
            socket.connect("127.0.0.1", serving.port());
            assertThat(Lines.exchange(socket, "one")).isEqualTo("echo: one"); // reading takes the session ticket
            socket.close();
        }
        assertThat(fullHandshakes).as("the second connection resumed").hasValue(1);

        // the same address under another host: no session to resume for it, so a full, failing check
        TcpSocket other = trustingClient();
        other.securityProperties().setHost("other.example").useCertificateCheck(counting);
        assertThat(connectFails(other, "127.0.0.1", serving.port()).reason()).isEqualTo(Reason.HOST_MISMATCH);
    }

    @Test
    void acceptorRefusesToListenWithoutKeyAndChain() throws Exception {
        TcpAcceptor bare = TcpAcceptor.open();
        resources.add(bare);
        bare.bind("127.0.0.1", 0);
        assertThatThrownBy(bare::listen).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a certificate chain and a private key")
                .hasMessageContaining("disableSecurity");

        TcpAcceptor chainOnly = TcpAcceptor.open();
        resources.add(chainOnly);
        chainOnly.securityProperties().useCertificates(List.of(pki.server().chainPem()));
        chainOnly.bind("127.0.0.1", 0);
        assertThatThrownBy(chainOnly::listen).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a private key");
    }

    @Test
    void clientCertificatesAreRequestedAndJudgedByTheAcceptorsVerifier() throws Exception {
        Identity client = pki.client("client-one");
        List<CertificateChain> seen = new CopyOnWriteArrayList<>();
        TcpAcceptor acceptor = TcpAcceptor.open();
        Identity server = pki.server();
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem())
                .setClientAuthentication(ClientAuthentication.REQUIRED)
                .useCertificateVerifier(chain -> seen.add(chain) && chain.leaf().equals(client.certificate()));
        Serving serving = serve(acceptor);
        TcpSocket socket = trustingClientPresenting(client);

        socket.connect("localhost", serving.port());

        assertThat(Lines.exchange(socket, "mutual")).isEqualTo("echo: mutual");
        assertThat(seen).singleElement().satisfies(chain -> assertThat(chain.expectedHost()).isEmpty());
        assertThat(serving.nextServed(WAIT).peerCertificates()).get()
                .satisfies(chain -> assertThat(chain.leaf()).isEqualTo(client.certificate()));
    }

    @Test
    void clientWithoutCertificateIsRefusedWhenTheAcceptorHasAVerifier() throws Exception {
        TcpAcceptor acceptor = TcpAcceptor.open();
        Identity server = pki.server();
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem())
                .setClientAuthentication(ClientAuthentication.REQUIRED)
                .useCertificateVerifier(chain -> true);
        Serving serving = serve(acceptor);
        TcpSocket socket = trustingClient();

        // TLS 1.3: the client finishes its side before the server judges it, so the refusal may
        // surface on connect or on the first read
        assertThatThrownBy(() -> {
            socket.connect("localhost", serving.port());
            Lines.exchange(socket, "anyone?");
        }).isInstanceOf(IOException.class);
        assertThat(serving.nextFailure(WAIT)).isInstanceOfSatisfying(SecureConnectionException.class,
                failure -> assertThat(failure.reason()).isEqualTo(Reason.CERTIFICATE_REQUIRED));
    }

    @Test
    void trustedCertificatesOnAnAcceptorRequireClientsFromThatRoot() throws Exception {
        TcpAcceptor acceptor = TcpAcceptor.open();
        Identity server = pki.server();
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem())
                .setClientAuthentication(ClientAuthentication.REQUIRED)
                .useTrustedCertificates(pki.rootPem());
        Serving serving = serve(acceptor);

        memberIsServedAndStrangerRefused(serving);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "EC", "Ed25519"})
    void everyKeyTypeServes(String keyAlgorithm) throws Exception {
        if (keyAlgorithm.equals("Ed25519") && TlsProvider.fromSystemProperty() == TlsProvider.CONSCRYPT) {
            // Conscrypt presents RSA and EC keys only: refused when listening, never a failed handshake later
            assertThatThrownBy(() -> serve(pki.server(keyAlgorithm)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("Ed25519").hasMessageContaining("TlsProvider.JDK");
            return;
        }
        Serving serving = serve(pki.server(keyAlgorithm));
        TcpSocket socket = trustingClient();

        socket.connect("localhost", serving.port());

        assertThat(Lines.exchange(socket, keyAlgorithm)).isEqualTo("echo: " + keyAlgorithm);
    }

    @Test
    void clientAuthenticationIsNeverInferredFromTrustSettings() throws IOException {
        Identity server = pki.server();
        TcpAcceptor trusting = TcpAcceptor.open();
        resources.add(trusting);
        trusting.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem())
                .useTrustedCertificates(pki.rootPem());
        trusting.bind("127.0.0.1", 0);
        assertThatThrownBy(trusting::listen).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("client authentication is NONE").hasMessageContaining("setClientAuthentication");

        TcpAcceptor asking = TcpAcceptor.open();
        resources.add(asking);
        asking.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem())
                .setClientAuthentication(ClientAuthentication.REQUIRED);
        asking.bind("127.0.0.1", 0);
        assertThatThrownBy(asking::listen).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nothing to judge them with");

        TcpSocket client = TcpSocket.open();
        resources.add(client);
        client.securityProperties().setClientAuthentication(ClientAuthentication.REQUIRED);
        assertThatThrownBy(() -> client.connect("localhost", trusting.localAddress().getPort()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("a setting of acceptors");
    }

    @Test
    void optionalClientAuthenticationServesClientsWithoutCertificatesButJudgesTheOthers() throws Exception {
        TcpAcceptor acceptor = TcpAcceptor.open();
        Identity server = pki.server();
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem())
                .setClientAuthentication(ClientAuthentication.OPTIONAL)
                .useTrustedCertificates(pki.rootPem());
        Serving serving = serve(acceptor);

        TcpSocket anonymous = trustingClient();
        anonymous.connect("localhost", serving.port());
        assertThat(Lines.exchange(anonymous, "anonymous")).isEqualTo("echo: anonymous");
        assertThat(serving.nextServed(WAIT).peerCertificates()).isEmpty();

        memberIsServedAndStrangerRefused(serving);
    }

    @Test
    void aVerifierThatReplacesTheEvaluationCannotBeCombinedWithWhatItWouldIgnore() {
        SecurityProperties trusting = TcpSocket.open().securityProperties().useTrustedCertificates(pki.rootPem());
        assertThatThrownBy(() -> trusting.useCertificateVerifier(chain -> true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("replaces the default evaluation").hasMessageContaining("useCertificateCheck");

        SecurityProperties verifying = TcpSocket.open().securityProperties().useCertificateVerifier(chain -> true);
        assertThatThrownBy(() -> verifying.useTrustedCertificates(pki.rootPem())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> verifying.useCertificateCheck(chain -> true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCertificateCheckRunsAfterTheDefaultEvaluationAndCanOnlyRefuseMore() throws Exception {
        Identity server = pki.server();
        Serving serving = serve(server);
        List<CertificateChain> checked = new CopyOnWriteArrayList<>();

        // pinned to the server's certificate: accepted, after chain and host were verified
        TcpSocket pinned = trustingClient();
        pinned.securityProperties().useCertificateCheck(chain -> checked.add(chain) && chain.leaf().equals(server.certificate()));
        pinned.connect("localhost", serving.port());
        assertThat(Lines.exchange(pinned, "pinned")).isEqualTo("echo: pinned");
        assertThat(checked).singleElement().satisfies(chain -> assertThat(chain.expectedHost()).contains("localhost"));

        // pinned to something else: refused although the chain is trusted
        TcpSocket otherPin = trustingClient();
        otherPin.securityProperties().useCertificateCheck(chain -> false);
        assertThat(connectFails(otherPin, "localhost", serving.port()).reason()).isEqualTo(Reason.VERIFIER_REJECTED);

        // a check that says yes does not make a wrong host or an untrusted root acceptable
        checked.clear();
        TcpSocket wrongHost = trustingClient();
        wrongHost.securityProperties().setHost("other.example").useCertificateCheck(chain -> checked.add(chain));
        assertThat(connectFails(wrongHost, "127.0.0.1", serving.port()).reason()).isEqualTo(Reason.HOST_MISMATCH);
        TcpSocket untrusting = TcpSocket.open();
        resources.add(untrusting);
        untrusting.securityProperties().useCertificateCheck(chain -> checked.add(chain));
        assertThat(connectFails(untrusting, "localhost", serving.port()).reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
        assertThat(checked).as("the check never ran for a chain the default evaluation refused").isEmpty();
    }

    @Test
    void aResolvedAddressIsVerifiedAsItsAddressNeverAsItsReverseName() throws Exception {
        Serving serving = serve(pki.serverWithoutIp()); // DNS:localhost only
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        // anything may have asked for its name: a reverse lookup answered by whoever runs the resolver
        Assumptions.assumeTrue(loopback.getHostName().equals("localhost"), "127.0.0.1 reverse-resolves to localhost here");

        TcpSocket socket = trustingClient();
        assertThat(catchThrowableOfType(SecureConnectionException.class,
                () -> socket.connect(new InetSocketAddress(loopback, serving.port()))).reason()).isEqualTo(Reason.HOST_MISMATCH);

        // the name the program gave is verified: setHost, or an unresolved address
        TcpSocket named = trustingClient();
        named.connect(InetSocketAddress.createUnresolved("localhost", serving.port()));
        assertThat(Lines.exchange(named, "named")).isEqualTo("echo: named");
    }

    @Test
    void aResolvedDatagramAddressIsVerifiedAsItsAddressToo() throws Exception {
        Identity server = pki.serverWithoutIp();
        try (UdpAcceptor acceptor = UdpAcceptor.open()) {
            acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
            acceptor.bind("127.0.0.1", 0);
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            Assumptions.assumeTrue(loopback.getHostName().equals("localhost"), "127.0.0.1 reverse-resolves to localhost here");
            try (UdpSocket socket = UdpSocket.open()) {
                socket.securityProperties().useTrustedCertificates(pki.rootPem()).setHandshakeTimeout(WAIT);
                assertThat(catchThrowableOfType(SecureConnectionException.class,
                        () -> socket.connect(new InetSocketAddress(loopback, acceptor.localAddress().getPort()))).reason())
                        .isEqualTo(Reason.HOST_MISMATCH);
            }
        }
    }
}
