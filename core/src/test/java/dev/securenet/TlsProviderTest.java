package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.testing.Lines;
import dev.securenet.testing.Serving;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import java.lang.reflect.Method;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Choosing the TLS provider: Conscrypt and the JDK's serve each other and resume, a Conscrypt
 * client verifies as the JDK's does, and what Conscrypt cannot do is refused before any handshake.
 * (The whole TLS suite also runs with {@code -Dsecurenet.tlsProvider=conscrypt}: see the core pom.)
 */
@Timeout(60)
class TlsProviderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestPki pki;

    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
    }

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private TcpAcceptor acceptor(TlsProvider provider, Identity identity) throws Exception {
        TcpAcceptor acceptor = TcpAcceptor.open();
        resources.add(acceptor);
        acceptor.securityProperties().useTlsProvider(provider)
                .useCertificates(List.of(identity.chainPem())).usePrivateKey(identity.keyPem());
        return acceptor.bind("127.0.0.1", 0).listen();
    }

    private TcpSocket client(TlsProvider provider) {
        TcpSocket socket = TcpSocket.open();
        resources.add(socket);
        socket.securityProperties().useTlsProvider(provider).useTrustedCertificates(pki.rootPem());
        return socket;
    }

    @ParameterizedTest
    @CsvSource({"CONSCRYPT, JDK", "JDK, CONSCRYPT", "CONSCRYPT, CONSCRYPT"})
    void eachProviderServesTheOtherAndBothEndsSayWhenTheyResumed(TlsProvider server, TlsProvider client) throws Exception {
        Identity identity = pki.server("EC");
        TcpAcceptor acceptor = acceptor(server, identity);
        for (int i = 0; i < 3; i++) {
            try (TcpSocket socket = client(client)) {
                socket.connect("localhost", acceptor.localAddress().getPort());
                try (TcpSocket served = acceptor.accept(WAIT)) {
                    assertThat(providerOf(socket)).as("client").isEqualTo(client);
                    assertThat(providerOf(served)).as("server").isEqualTo(server);
                    assertThat(socket.isSessionResumed()).as("client, connection %d", i).isEqualTo(i > 0);
                    assertThat(served.isSessionResumed()).as("server, connection %d", i).isEqualTo(i > 0);
                    served.getOutputStream().write('!'); // TLS 1.3 tickets come after the handshake, read with data
                    served.getOutputStream().flush();
                    socket.setReadTimeout(WAIT);
                    assertThat(socket.getInputStream().read()).isEqualTo('!');
                }
            }
        }
    }

    @Test
    void aConscryptClientRefusesAnotherHostAndAnUntrustedRootWithTheSameReasons() throws Exception {
        TcpAcceptor acceptor = acceptor(TlsProvider.JDK, pki.otherHost());
        Serving serving = Serving.start(acceptor, Serving.echoLine());
        resources.add(serving);
        assertThatThrownBy(() -> client(TlsProvider.CONSCRYPT).connect("localhost", serving.port()))
                .isInstanceOfSatisfying(SecureConnectionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HOST_MISMATCH));

        TcpAcceptor stranger = acceptor(TlsProvider.JDK, TestPki.create().server());
        Serving strangerServing = Serving.start(stranger, Serving.echoLine());
        resources.add(strangerServing);
        assertThatThrownBy(() -> client(TlsProvider.CONSCRYPT).connect("localhost", strangerServing.port()))
                .isInstanceOfSatisfying(SecureConnectionException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE));

        TcpSocket good = client(TlsProvider.CONSCRYPT);
        good.connect("localhost", acceptor(TlsProvider.CONSCRYPT, pki.server()).localAddress().getPort());
    }

    @Test
    void whatConscryptCannotDoIsRefusedBeforeAnyHandshake() throws Exception {
        UdpSocket udp = UdpSocket.open();
        resources.add(udp);
        udp.securityProperties().useTlsProvider(TlsProvider.CONSCRYPT).useTrustedCertificates(pki.rootPem());
        assertThatThrownBy(() -> udp.connect("127.0.0.1", 9)) // nothing is sent: refused before the socket binds
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no DTLS");

        Identity rsa = pki.server("RSA");
        UdpAcceptor udpAcceptor = UdpAcceptor.open();
        resources.add(udpAcceptor);
        udpAcceptor.securityProperties().useTlsProvider(TlsProvider.CONSCRYPT)
                .useCertificates(List.of(rsa.chainPem())).usePrivateKey(rsa.keyPem());
        assertThatThrownBy(() -> udpAcceptor.bind("127.0.0.1", 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no DTLS");

        TcpAcceptor dhe = TcpAcceptor.open();
        resources.add(dhe);
        dhe.securityProperties().useTlsProvider(TlsProvider.CONSCRYPT).enableFiniteFieldDhe()
                .useCertificates(List.of(rsa.chainPem())).usePrivateKey(rsa.keyPem());
        assertThatThrownBy(() -> dhe.bind("127.0.0.1", 0).listen()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finite-field DHE").hasMessageContaining("TlsProvider.JDK");

        assertThatThrownBy(() -> acceptor(TlsProvider.CONSCRYPT, pki.server("Ed25519")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("EdDSA");
    }

    @Test
    void theSystemPropertyChoosesForTcpEndpointsThatDoNotAndABadNameIsRefused() throws Exception {
        String before = System.getProperty(TlsProvider.SYSTEM_PROPERTY);
        try {
            TcpAcceptor acceptor = acceptor(TlsProvider.JDK, pki.server());
            System.setProperty(TlsProvider.SYSTEM_PROPERTY, "Conscrypt");
            TcpSocket chosenByTheJvm = TcpSocket.open();
            resources.add(chosenByTheJvm);
            chosenByTheJvm.securityProperties().useTrustedCertificates(pki.rootPem());
            chosenByTheJvm.connect("localhost", acceptor.localAddress().getPort());
            assertThat(providerOf(chosenByTheJvm)).isEqualTo(TlsProvider.CONSCRYPT);
            assertThat(chosenByTheJvm.securityProperties().tlsProvider()).as("the endpoint chose none").isEmpty();

            System.setProperty(TlsProvider.SYSTEM_PROPERTY, "boringssl");
            TcpSocket misnamed = TcpSocket.open();
            resources.add(misnamed);
            misnamed.securityProperties().useTrustedCertificates(pki.rootPem());
            assertThatThrownBy(() -> misnamed.connect("localhost", acceptor.localAddress().getPort()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-Dsecurenet.tlsProvider").hasMessageContaining("jdk or conscrypt");
        } finally {
            if (before == null) {
                System.clearProperty(TlsProvider.SYSTEM_PROPERTY);
            } else {
                System.setProperty(TlsProvider.SYSTEM_PROPERTY, before);
            }
        }
    }

    /** Which provider's socket carries the connection: nothing public says, so the test looks inside. */
    private static TlsProvider providerOf(TcpSocket socket) throws Exception {
        Method connection = TcpSocket.class.getDeclaredMethod("connection");
        connection.setAccessible(true);
        Object secured = connection.invoke(socket);
        Method raw = secured.getClass().getDeclaredMethod("socket");
        raw.setAccessible(true);
        Socket layered = (Socket) raw.invoke(secured);
        assertThat(layered).isInstanceOf(SSLSocket.class);
        return layered.getClass().getName().startsWith("org.conscrypt.") ? TlsProvider.CONSCRYPT : TlsProvider.JDK;
    }
}
