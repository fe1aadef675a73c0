package dev.securenet.benchmarks;

import dev.securenet.UdpAcceptor;
import dev.securenet.UdpSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The DTLS servers and workloads. Messages start with a kind byte: {@link #ECHO} is answered with
 * itself; {@link #DATA} is counted; {@link #REPORT} is answered with the count of data messages
 * since the last report, so the bulk client learns what was lost.
 */
final class DtlsScenarios {

    static final byte DATA = 0;
    static final byte REPORT = 1;
    static final byte ECHO = 2;
    /** Data messages between reports: the bulk client's window. */
    static final int WINDOW = 16;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(1);

    private DtlsScenarios() {
    }

    /** The answering rule both servers follow, with a count per peer. */
    private static final class Answers {
        private final Map<Object, AtomicLong> counts = new ConcurrentHashMap<>();

        byte[] answer(Object peer, byte[] message) {
            AtomicLong count = counts.computeIfAbsent(peer, key -> new AtomicLong());
            return switch (message[0]) {
                case DATA -> {
                    count.incrementAndGet();
                    yield null;
                }
                case REPORT -> ByteBuffer.allocate(8).putLong(count.getAndSet(0)).array();
                default -> {
                    counts.remove(peer);
                    yield message;
                }
            };
        }
    }

    static Served securenetServer(Fixture fixture) throws IOException {
        UdpAcceptor acceptor = UdpAcceptor.open();
        acceptor.securityProperties().useCertificateChain(List.of(fixture.identity.certificate()))
                .usePrivateKey(fixture.identity.privateKey());
        acceptor.setMtu(Fixture.MTU).bind("127.0.0.1", 0);
        Answers answers = new Answers();
        TlsServers.daemon("securenet-dtls-server", () -> {
            while (true) {
                UdpSocket peer;
                try {
                    peer = acceptor.accept();
                } catch (IOException closed) {
                    return;
                }
                TlsServers.daemon("securenet-dtls-peer", () -> {
                    try (peer) {
                        ByteBuffer buffer = ByteBuffer.allocate(2048);
                        for (int n = peer.receive(buffer); n > 0; n = peer.receive(buffer.clear())) {
                            byte[] message = new byte[n];
                            buffer.flip().get(message);
                            byte[] answer = answers.answer(peer, message);
                            if (answer != null) {
                                peer.send(ByteBuffer.wrap(answer));
                            }
                        }
                    } catch (IOException e) {
                        // the peer went away
                    }
                });
            }
        });
        return new Served(acceptor.localAddress().getPort(), acceptor);
    }

    static Served rawServer(Fixture fixture) throws Exception {
        Answers answers = new Answers();
        RawDtls.Server server = new RawDtls.Server(fixture.rawContext("DTLS", true),
                (SocketAddress peer, byte[] message) -> answers.answer(peer, message));
        return new Served(server.port(), server);
    }

    /** One client making connections one after another: handshake, one message each way, close. */
    static Side handshakes(Served server, DtlsConnection.Opener opener, Fixture fixture) {
        return new Side() {
            @Override
            public Result run(Duration duration) throws Exception {
                long start = System.nanoTime();
                long deadline = start + duration.toNanos();
                long done = 0;
                long resumed = 0;
                while (System.nanoTime() < deadline) {
                    try (DtlsConnection connection = opener.open(fixture.host(done), server.port())) {
                        connection.send(new byte[] {ECHO});
                        if (connection.receive(ANSWER_TIMEOUT) == null) {
                            throw new IllegalStateException("no echo");
                        }
                        resumed += connection.resumed() ? 1 : 0;
                    }
                    done++;
                }
                return new Result(done / ((System.nanoTime() - start) / 1e9), done == 0 ? 0 : (double) resumed / done, 0);
            }

            @Override
            public void close() throws Exception {
                server.close();
            }
        };
    }

    /** One association sending {@link Fixture#DTLS_MESSAGE}-byte messages, a window at a time. */
    static Side bulk(Served server, DtlsConnection connection) {
        byte[] data = new byte[Fixture.DTLS_MESSAGE];
        data[0] = DATA;
        return new Side() {
            @Override
            public Result run(Duration duration) throws Exception {
                long start = System.nanoTime();
                long deadline = start + duration.toNanos();
                long delivered = 0;
                long lost = 0;
                while (System.nanoTime() < deadline) {
                    for (int i = 0; i < WINDOW; i++) {
                        connection.send(data);
                    }
                    byte[] report = null;
                    while (report == null) { // a lost report is asked for again; the count waits for it
                        connection.send(new byte[] {REPORT});
                        report = connection.receive(ANSWER_TIMEOUT);
                    }
                    long received = ByteBuffer.wrap(report).getLong();
                    delivered += received;
                    lost += WINDOW - received;
                }
                double mebibytes = delivered * (double) Fixture.DTLS_MESSAGE / (1 << 20);
                return new Result(mebibytes / ((System.nanoTime() - start) / 1e9), 0, lost);
            }

            @Override
            public void close() throws Exception {
                connection.close();
                server.close();
            }
        };
    }
}
