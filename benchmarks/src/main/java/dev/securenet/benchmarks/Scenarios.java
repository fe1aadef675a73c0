package dev.securenet.benchmarks;

import dev.securenet.TcpSocket;
import dev.securenet.TlsProvider;
import dev.securenet.benchmarks.TlsServers.Serving;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/** Every scenario the harness knows, in the order it runs them. */
final class Scenarios {

    private Scenarios() {
    }

    static List<Scenario> all(Fixture fixture) {
        List<Scenario> jdk = jdk(fixture);
        List<Scenario> all = new ArrayList<>(jdk);
        // Conscrypt, where full handshakes can be had: alone against a raw JDK peer whose cache holds
        // one session (a Conscrypt pair resumes by ticket across the two host names)
        for (Scenario scenario : jdk) {
            if (List.of("tls-bulk", "tls-resumed-1", "tls-resumed-32", "tls-full-1-our-client-alone",
                    "tls-full-1-our-server-alone").contains(scenario.name())) {
                all.add(scenario.on(TlsProvider.CONSCRYPT));
            }
        }
        // a Conscrypt pair's full handshakes: its client keeps sessions for ten host-and-port pairs, so
        // connections go round sixteen servers on each side (times the two host names)
        for (int threads : List.of(1, 32)) {
            all.add(new Scenario("tls-full-" + threads + "-across-16-servers", "handshakes/s", true,
                    () -> TlsClients.handshakes(Served.several(16, () -> TlsServers.securenet(fixture, 1)),
                            TlsClients.securenet(fixture), fixture, threads),
                    () -> TlsClients.handshakes(Served.several(16, () -> TlsServers.raw(fixture, 1)),
                            TlsClients.raw(fixture), fixture, threads)).on(TlsProvider.CONSCRYPT));
        }
        // the Amazon Corretto Crypto Provider is JVM-wide: both sides get it; compare with the plain rows
        for (Scenario scenario : jdk) {
            if (List.of("tls-bulk", "tls-full-1", "tls-full-32", "tls-resumed-1", "tls-full-1-our-client-alone",
                    "tls-full-1-our-server-alone", "tls-full-1-our-server-alone-served-on-accept-thread", "dtls-full", "dtls-bulk")
                    .contains(scenario.name())) {
                all.add(scenario.onCorrettoCrypto());
            }
        }
        return all;
    }

    private static List<Scenario> jdk(Fixture fixture) {
        return List.of(
                new Scenario("tls-bulk", "MiB/s", false,
                        () -> {
                            Served server = TlsServers.securenet(fixture, TlsClients.MIB);
                            TcpSocket socket = TcpSocket.open();
                            socket.securityProperties().useTrustedCertificates(List.of(fixture.identity.certificate()));
                            socket.connect("localhost", server.port());
                            return TlsClients.bulk(server, socket, socket.getOutputStream(), socket.getInputStream());
                        },
                        () -> {
                            Served server = TlsServers.raw(fixture, TlsClients.MIB);
                            SSLSocket socket = TlsClients.rawSocket(fixture.rawContext("TLS", false), "localhost", server.port());
                            return TlsClients.bulk(server, socket, socket.getOutputStream(), socket.getInputStream());
                        }),
                tlsHandshakes(fixture, "tls-full-1", true, 1),
                tlsHandshakes(fixture, "tls-full-2", true, 2),
                tlsHandshakes(fixture, "tls-full-32", true, 32),
                tlsHandshakes(fixture, "tls-resumed-1", false, 1),
                tlsHandshakes(fixture, "tls-resumed-2", false, 2),
                tlsHandshakes(fixture, "tls-resumed-32", false, 32),
                tlsOurClientAlone(fixture, "tls-full-1-our-client-alone", true),
                tlsOurServerAlone(fixture, "tls-full-1-our-server-alone", true, Serving.NEW_THREAD),
                tlsOurServerAlone(fixture, "tls-full-1-our-server-alone-served-on-accept-thread", true, Serving.ACCEPT_THREAD),
                tlsOurServerAlone(fixture, "tls-full-1-our-server-alone-served-by-pool", true, Serving.POOL),
                tlsOurClientAlone(fixture, "tls-resumed-1-our-client-alone", false),
                tlsOurServerAlone(fixture, "tls-resumed-1-our-server-alone", false, Serving.NEW_THREAD),
                tlsOurServerAlone(fixture, "tls-resumed-1-our-server-alone-served-on-accept-thread", false, Serving.ACCEPT_THREAD),
                tlsOurServerAlone(fixture, "tls-resumed-1-our-server-alone-served-by-pool", false, Serving.POOL),
                dtlsHandshakes(fixture, "dtls-full", true),
                dtlsHandshakes(fixture, "dtls-resumed", false),
                new Scenario("dtls-resumed-our-client-alone", "handshakes/s", false,
                        () -> DtlsScenarios.handshakes(DtlsScenarios.rawServer(fixture), DtlsConnection.securenet(fixture), fixture),
                        () -> DtlsScenarios.handshakes(DtlsScenarios.rawServer(fixture), DtlsConnection.raw(fixture), fixture)),
                new Scenario("dtls-resumed-our-server-alone", "handshakes/s", false,
                        () -> DtlsScenarios.handshakes(DtlsScenarios.securenetServer(fixture), DtlsConnection.raw(fixture), fixture),
                        () -> DtlsScenarios.handshakes(DtlsScenarios.rawServer(fixture), DtlsConnection.raw(fixture), fixture)),
                new Scenario("dtls-bulk", "MiB/s", false,
                        () -> {
                            Served server = DtlsScenarios.securenetServer(fixture);
                            return DtlsScenarios.bulk(server, DtlsConnection.securenet(fixture).open("localhost", server.port()));
                        },
                        () -> {
                            Served server = DtlsScenarios.rawServer(fixture);
                            return DtlsScenarios.bulk(server, DtlsConnection.raw(fixture).open("localhost", server.port()));
                        }));
    }

    private static Scenario tlsHandshakes(Fixture fixture, String name, boolean full, int threads) {
        return new Scenario(name, "handshakes/s", full,
                () -> TlsClients.handshakes(TlsServers.securenet(fixture, 1), TlsClients.securenet(fixture), fixture, threads),
                () -> TlsClients.handshakes(TlsServers.raw(fixture, 1), TlsClients.raw(fixture), fixture, threads));
    }

    /** Our client against the raw server, beside the raw pair: one client thread. */
    private static Scenario tlsOurClientAlone(Fixture fixture, String name, boolean full) {
        return new Scenario(name, "handshakes/s", full,
                () -> TlsClients.handshakes(TlsServers.raw(fixture, 1), TlsClients.securenet(fixture), fixture, 1),
                () -> TlsClients.handshakes(TlsServers.raw(fixture, 1), TlsClients.raw(fixture), fixture, 1));
    }

    /**
     * The raw client against our server, beside the raw pair: one client thread.
     *
     * @param serving how our server's application runs each connection; the raw server's does the
     *                same from a pool, and otherwise starts a thread for each (serial on the accept()
     *                thread, it would do its handshakes there too)
     */
    private static Scenario tlsOurServerAlone(Fixture fixture, String name, boolean full, Serving serving) {
        Serving raw = serving == Serving.POOL ? Serving.POOL : Serving.NEW_THREAD;
        return new Scenario(name, "handshakes/s", full,
                () -> TlsClients.handshakes(TlsServers.securenet(fixture, 1, serving), TlsClients.raw(fixture), fixture, 1),
                () -> TlsClients.handshakes(TlsServers.raw(fixture, 1, raw), TlsClients.raw(fixture), fixture, 1));
    }

    private static Scenario dtlsHandshakes(Fixture fixture, String name, boolean full) {
        return new Scenario(name, "handshakes/s", full,
                () -> DtlsScenarios.handshakes(DtlsScenarios.securenetServer(fixture), DtlsConnection.securenet(fixture), fixture),
                () -> DtlsScenarios.handshakes(DtlsScenarios.rawServer(fixture), DtlsConnection.raw(fixture), fixture));
    }
}
