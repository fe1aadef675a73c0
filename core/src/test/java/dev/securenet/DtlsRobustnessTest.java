package dev.securenet;

import static dev.securenet.DtlsTest.WAIT;
import static dev.securenet.DtlsTest.receive;
import static dev.securenet.DtlsTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.TestPki;
import dev.securenet.testing.UdpRelay;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The DTLS acceptor under many peers, loss, replays, spoofed cookies and garbage. */
@Timeout(120)
class DtlsRobustnessTest {

    private static TestPki pki;
    private UdpAcceptor acceptor;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeAll
    static void pki() {
        pki = TestPki.create();
    }

    @BeforeEach
    void bind() throws IOException {
        acceptor = UdpAcceptor.open();
        var server = pki.server();
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem())
                .setHandshakeTimeout(Duration.ofSeconds(60));
        acceptor.setRetransmissionTimeout(Duration.ofMillis(100));
        acceptor.bind("127.0.0.1", 0);
    }

    @AfterEach
    void close() throws InterruptedException {
        acceptor.close();
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** @return a new acceptor with a server identity, not bound yet, in place of the one of {@link #bind} */
    private UdpAcceptor reopened() {
        acceptor.close();
        var server = pki.server();
        acceptor = UdpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem());
        return acceptor;
    }

    private UdpSocket client() {
        UdpSocket socket = UdpSocket.open();
        socket.securityProperties().useTrustedCertificates(pki.rootPem());
        return socket;
    }

    /** Echoes every message of every peer, each peer on its own thread. */
    private void echoAll() {
        threads.execute(() -> {
            while (true) {
                UdpSocket peer;
                try {
                    peer = acceptor.accept();
                } catch (IOException closed) {
                    return;
                }
                threads.execute(() -> {
                    try (peer) {
                        ByteBuffer buffer = ByteBuffer.allocate(2048);
                        for (int n = peer.receive(buffer); n >= 0; n = peer.receive(buffer.clear())) {
                            peer.send(buffer.flip());
                        }
                    } catch (IOException e) {
                        // the peer or the acceptor went away
                    }
                });
            }
        });
    }

    @Test
    void fiftyPeersAtOnceEachGetTheirOwnMessages() throws Exception {
        echoAll();
        List<Future<String>> replies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String message = "peer-" + i;
            replies.add(threads.submit(() -> {
                try (UdpSocket socket = client()) {
                    socket.connect("localhost", acceptor.localAddress().getPort());
                    send(socket, message);
                    String first = receive(socket);
                    send(socket, message + "-again");
                    return first + "|" + receive(socket);
                }
            }));
        }
        for (int i = 0; i < replies.size(); i++) {
            assertThat(replies.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("peer-" + i + "|peer-" + i + "-again");
        }
    }

    @Test
    void handshakesCompleteThroughTwentyPercentLossBothWays() throws Exception {
        echoAll();
        for (int seed = 1; seed <= 5; seed++) {
            try (UdpRelay lossy = new UdpRelay(acceptor.localAddress(), 0.2, seed); UdpSocket socket = client()) {
                socket.setRetransmissionTimeout(Duration.ofMillis(100));
                socket.securityProperties().setHandshakeTimeout(Duration.ofSeconds(30));
                socket.connect("localhost", lossy.port());
                // application data is UDP too: ask again until an answer gets through both ways
                String answer = null;
                for (int attempt = 0; attempt < 50 && answer == null; attempt++) {
                    send(socket, "through loss " + seed);
                    try {
                        ByteBuffer buffer = ByteBuffer.allocate(256);
                        int n = socket.receive(buffer, Duration.ofMillis(200));
                        answer = new String(buffer.array(), 0, n);
                    } catch (SocketTimeoutException lost) {
                        // try again
                    }
                }
                assertThat(answer).isEqualTo("through loss " + seed);
            }
        }
    }

    @Test
    void aReplayedRecordIsDropped() throws Exception {
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0); UdpSocket socket = client()) {
            socket.connect("localhost", relay.port());
            try (UdpSocket peer = acceptor.accept(WAIT)) {
                send(socket, "once");
                assertThat(receive(peer)).isEqualTo("once");
                List<byte[]> sent = relay.fromClient();
                relay.injectToServer(sent.get(sent.size() - 1)); // the same record again, from the same address
                send(socket, "after");
                assertThat(receive(peer)).isEqualTo("after");
            }
        }
    }

    @Test
    void aLateOrReplayedClientHelloDoesNotEndTheAssociation() throws Exception {
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0); UdpSocket socket = client()) {
            socket.connect("localhost", relay.port());
            try (UdpSocket peer = acceptor.accept(WAIT)) {
                send(socket, "before");
                assertThat(receive(peer)).isEqualTo("before");
                // every ClientHello of this handshake again, from the client's own address, the
                // cookie-bearing ones included (as a retransmission that waited in a queue would arrive)
                List<byte[]> hellos = relay.fromClient().stream()
                        .filter(datagram -> DtlsTest.isHandshake(datagram, 1))
                        .toList();
                assertThat(hellos).hasSizeGreaterThanOrEqualTo(2); // with and without a cookie
                for (byte[] hello : hellos) {
                    relay.injectToServer(hello);
                }
                send(socket, "after");
                assertThat(receive(peer)).isEqualTo("after");
                send(peer, "and back");
                assertThat(receive(socket)).isEqualTo("and back");
            }
        }
    }

    @Test
    void aNewHandshakeFromAnEstablishedPeersAddressEndsNothingUntilItCompletes() throws Exception {
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0)) {
            // an earlier client through the same relay leaves a cookie-bearing hello behind, still valid
            try (UdpSocket earlier = client()) {
                earlier.connect("localhost", relay.port());
                try (UdpSocket peer = acceptor.accept(WAIT)) {
                    earlier.close();
                    assertThat(peer.receive(ByteBuffer.allocate(64), WAIT)).as("close_notify reached the server").isEqualTo(-1);
                }
            }
            // its second hello (first fragments only) echoes the acceptor's cookie
            byte[] earlierHello = relay.fromClient().stream()
                    .filter(datagram -> DtlsTest.isHandshake(datagram, 1) && datagram[19] == 0 && datagram[20] == 0 && datagram[21] == 0)
                    .skip(1).findFirst().orElseThrow();
            try (UdpSocket current = client()) {
                current.connect("localhost", relay.port());
                try (UdpSocket peer = acceptor.accept(WAIT)) {
                    send(current, "before");
                    assertThat(receive(peer)).isEqualTo("before");
                    // replayed from the current client's own address: its cookie passes, so a new
                    // handshake starts, which nobody will finish
                    relay.injectToServer(earlierHello);
                    send(current, "during");
                    assertThat(receive(peer)).isEqualTo("during");
                    send(peer, "and back");
                    assertThat(receive(current)).isEqualTo("and back");
                }
            }
        }
    }

    /**
     * RFC 6347 §4.2.1: a HelloVerifyRequest answers one ClientHello, copies its record sequence
     * number, and is never retransmitted on a timer. The first two are lost on the way, so the client
     * resends its hello: each answer must still be to a hello of its own.
     */
    @Test
    void helloVerifyRequestsOnlyAnswerHellosAndCopyTheirRecordNumbers() throws Exception {
        echoAll();
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0)) {
            java.util.concurrent.atomic.AtomicInteger verifyRequests = new java.util.concurrent.atomic.AtomicInteger();
            relay.dropToClient(datagram -> isHelloVerifyRequest(datagram) && verifyRequests.incrementAndGet() <= 2);
            try (UdpSocket socket = client()) {
                socket.setRetransmissionTimeout(Duration.ofMillis(300)); // the acceptor's timer is 100 ms: it would fire first
                socket.connect("localhost", relay.port());
                send(socket, "after two lost cookies");
                assertThat(receive(socket)).isEqualTo("after two lost cookies");
            }
            // in the order the relay saw them: every HelloVerifyRequest copies the number of a hello that
            // came before it and that no other HelloVerifyRequest answered
            java.util.Set<Long> unanswered = new java.util.HashSet<>();
            int requests = 0;
            for (UdpRelay.Relayed datagram : relay.relayed()) {
                byte[] bytes = datagram.datagram();
                if (datagram.fromClient() && DtlsTest.isHandshake(bytes, 1)) {
                    unanswered.add(DtlsTest.recordNumber(bytes));
                } else if (!datagram.fromClient() && isHelloVerifyRequest(bytes)) {
                    requests++;
                    assertThat(unanswered.remove(DtlsTest.recordNumber(bytes)))
                            .as("HelloVerifyRequest %d answers a hello of its record number", requests).isTrue();
                }
            }
            // at least the two lost ones and the one that arrived (a slow answer on a busy machine may add another)
            assertThat(requests).as("one for the hello and one for each resent").isGreaterThanOrEqualTo(3);
        }
    }

    /**
     * A client that answers one HelloVerifyRequest and takes a second for a lost ServerHello (as
     * TLS-Attacker's does) completes a full handshake, in three round trips before it sends data;
     * its next socket resumes in two. Its resumption hello carries the JDK's session ticket and is
     * fragmented at this MTU, so it takes a cookie exchange even where the JVM's engines resume
     * without one.
     */
    @Test
    void oneCookieExchangeIsAllAFullHandshakeTakes() throws Exception {
        echoAll();
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0)) {
            java.util.concurrent.atomic.AtomicInteger verifyRequests = new java.util.concurrent.atomic.AtomicInteger();
            relay.dropToClient(datagram -> isHelloVerifyRequest(datagram) && verifyRequests.incrementAndGet() > 1);
            try (UdpSocket socket = client()) {
                socket.connect("localhost", relay.port());
                send(socket, "one cookie");
                assertThat(receive(socket)).isEqualTo("one cookie");
                assertThat(socket.isSessionResumed()).isFalse();
            }
            assertThat(verifyRequests).as("HelloVerifyRequests").hasValue(1);
            assertThat(roundTripsBeforeData(relay.relayed())).isEqualTo(3);

            int before = relay.relayed().size();
            verifyRequests.set(0);
            try (UdpSocket socket = client()) {
                socket.connect("localhost", relay.port());
                send(socket, "resumed");
                assertThat(receive(socket)).isEqualTo("resumed");
                assertThat(socket.isSessionResumed()).isTrue();
            }
            assertThat(verifyRequests).as("HelloVerifyRequests").hasValue(1);
            List<UdpRelay.Relayed> resumption = relay.relayed();
            assertThat(roundTripsBeforeData(resumption.subList(before, resumption.size()))).isEqualTo(2);
        }
    }

    /**
     * Where the JVM's engines resume without a cookie exchange ({@code -Djdk.tls.enableDtlsResumeCookie=false},
     * set for this test in a run of its own), a lightly loaded acceptor lets a resumption hello
     * that fits in one datagram in at once: one round trip before data, no HelloVerifyRequest. With
     * a third of its handshakes under way it is loaded, and the resumption proves its address
     * first. Elsewhere every resumption takes one cookie exchange.
     */
    @Test
    void aLightlyLoadedAcceptorResumesWithoutACookieExchangeWhereTheJvmAllowsIt() throws Exception {
        // nothing is lost on the way: no retransmission may add a round trip, however slow the machine
        reopened().setMtu(WHOLE_HELLO_MTU).setRetransmissionTimeout(UNHURRIED).setMaxPendingHandshakes(3)
                .bind("127.0.0.1", 0);
        echoAll();
        boolean withoutCookie = resumesWithoutCookie();
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0)) {
            echoedThrough(relay, "full"); // the session to resume
            int before = relay.relayed().size();
            assertThat(echoedThrough(relay, "resumed")).as("resumed").isTrue();
            assertResumption(relay, before, withoutCookie ? 0 : 1, withoutCookie ? 1 : 2);

            // a handshake that stays pending at the acceptor until its own deadline, long after its
            // client, which never hears past the cookie exchange, gives up
            try (UdpRelay silent = new UdpRelay(acceptor.localAddress(), 0, 0); UdpSocket stalled = client()) {
                silent.dropToClient(datagram -> !isHelloVerifyRequest(datagram));
                stalled.setMtu(WHOLE_HELLO_MTU).securityProperties().setHandshakeTimeout(Duration.ofSeconds(3));
                Future<?> stalling = threads.submit(() -> {
                    try {
                        stalled.connect("localhost", silent.port());
                    } catch (IOException expected) {
                        // it never completes
                    }
                });
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!answeredPastTheCookie(silent) && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // until its handshake is under way at the acceptor
                }
                assertThat(answeredPastTheCookie(silent)).as("the stalled handshake is under way").isTrue();
                int loaded = relay.relayed().size();
                assertThat(echoedThrough(relay, "loaded")).as("resumed").isTrue();
                assertResumption(relay, loaded, 1, 2);
                stalling.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Connects a new client at {@link #WHOLE_HELLO_MTU} through the relay and has one message echoed.
     *
     * @return whether its session was resumed
     */
    private boolean echoedThrough(UdpRelay relay, String message) throws IOException {
        try (UdpSocket socket = client()) {
            socket.setMtu(WHOLE_HELLO_MTU).setRetransmissionTimeout(UNHURRIED).connect("localhost", relay.port());
            send(socket, message);
            assertThat(receive(socket)).isEqualTo(message);
            return socket.isSessionResumed();
        }
    }

    /** @return whether the server sent more than HelloVerifyRequests through this relay */
    private static boolean answeredPastTheCookie(UdpRelay relay) {
        return relay.fromServer().stream().anyMatch(datagram -> !isHelloVerifyRequest(datagram));
    }

    /** An MTU at which a resumption hello carrying the JDK's session ticket fits in one datagram. */
    private static final int WHOLE_HELLO_MTU = 1400;
    /** A retransmission timeout longer than any answer takes on a loaded machine. */
    private static final Duration UNHURRIED = Duration.ofSeconds(5);

    private static void assertResumption(UdpRelay relay, int from, int verifyRequests, int roundTrips) {
        List<UdpRelay.Relayed> relayed = relay.relayed();
        List<UdpRelay.Relayed> resumption = relayed.subList(from, relayed.size());
        assertThat(resumption.stream().filter(datagram -> !datagram.fromClient() && isHelloVerifyRequest(datagram.datagram())))
                .as("HelloVerifyRequests").hasSize(verifyRequests);
        assertThat(roundTripsBeforeData(resumption)).as("round trips before data").isEqualTo(roundTrips);
    }

    /** @return whether this JVM's DTLS engines resume sessions without a cookie exchange */
    static boolean resumesWithoutCookie() {
        return "false".equalsIgnoreCase(System.getProperty("jdk.tls.enableDtlsResumeCookie"));
    }

    /**
     * @return how many times the client waited for the server before it sent application data: its
     *         datagrams up to the server's next answer count once; alerts (a close_notify of an
     *         earlier connection) do not count
     */
    static int roundTripsBeforeData(List<UdpRelay.Relayed> relayed) {
        int roundTrips = 0;
        boolean clientWaits = false;
        for (UdpRelay.Relayed datagram : relayed) {
            byte type = datagram.datagram()[0];
            if (type == 21) {
                continue;
            }
            if (datagram.fromClient() && type == 23) {
                return roundTrips;
            }
            if (datagram.fromClient()) {
                clientWaits = true;
            } else if (clientWaits) {
                roundTrips++;
                clientWaits = false;
            }
        }
        throw new AssertionError("the client sent no application data");
    }

    private static boolean isHelloVerifyRequest(byte[] datagram) {
        return DtlsTest.isHandshake(datagram, 3);
    }

    @Test
    void aCookieIsOnlyGoodForTheAddressItWasGivenTo() throws Exception {
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0); UdpSocket socket = client()) {
            socket.connect("localhost", relay.port());
            acceptor.accept(WAIT).close();
            // the client's second ClientHello carries the cookie the relay's address earned
            byte[] helloWithCookie = relay.fromClient().get(1);
            assertThat(helloWithCookie[0]).isEqualTo((byte) 22);
            assertThat(helloWithCookie[13]).isEqualTo((byte) 1);
            int peersBefore = acceptor.peerCount();
            try (DatagramSocket elsewhere = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                elsewhere.setSoTimeout((int) WAIT.toMillis());
                elsewhere.send(new DatagramPacket(helloWithCookie, helloWithCookie.length, acceptor.localAddress()));
                DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
                elsewhere.receive(answer);
                // a fresh HelloVerifyRequest, not a ServerHello: no state, no expensive work
                assertThat(answer.getData()[0]).isEqualTo((byte) 22);
                assertThat(answer.getData()[13]).isEqualTo((byte) 3);
            }
            assertThat(acceptor.peerCount()).isEqualTo(peersBefore);
        }
    }

    @Test
    void aClientThatRestartsOnTheSameAddressIsServedAgain() throws Exception {
        echoAll();
        // through one relay, both clients reach the server from the same address and port
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0)) {
            UdpSocket crashed = client();
            crashed.connect("localhost", relay.port());
            send(crashed, "first life");
            assertThat(receive(crashed)).isEqualTo("first life");
            // it "crashes": no close_notify; the server still holds its association
            try (UdpSocket restarted = client()) {
                restarted.connect("localhost", relay.port());
                send(restarted, "second life");
                assertThat(receive(restarted)).isEqualTo("second life");
            } finally {
                crashed.close();
            }
        }
    }

    @Test
    void garbageAndOversizedDatagramsAreIgnoredWhileServiceGoesOn() throws Exception {
        echoAll();
        try (UdpRelay relay = new UdpRelay(acceptor.localAddress(), 0, 0); UdpSocket socket = client();
             DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.connect("localhost", relay.port());
            send(socket, "before");
            assertThat(receive(socket)).isEqualTo("before");

            Random random = new Random(42);
            byte[] garbage = new byte[700];
            random.nextBytes(garbage);
            byte[] huge = new byte[60_000];
            random.nextBytes(huge);
            byte[] fakeRecord = {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 40, 1, 2, 3};
            byte[] hello = {22, (byte) 0xfe, (byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 1, 0, 0};
            for (byte[] datagram : List.of(garbage, huge, fakeRecord, hello, new byte[0])) {
                stranger.send(new DatagramPacket(datagram, datagram.length, acceptor.localAddress()));
                relay.injectToServer(datagram); // and from the established peer's own address
            }

            send(socket, "after");
            assertThat(receive(socket)).isEqualTo("after");
            assertThat(acceptor.peerCount()).isEqualTo(1);
        }
    }

    @Test
    void peersAreBounded() throws Exception {
        reopened().setMaxPeers(2).bind("127.0.0.1", 0);
        echoAll();
        List<UdpSocket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                UdpSocket socket = client();
                clients.add(socket);
                socket.connect("localhost", acceptor.localAddress().getPort());
            }
            try (UdpSocket third = client()) {
                third.securityProperties().setHandshakeTimeout(Duration.ofMillis(1500));
                third.setRetransmissionTimeout(Duration.ofMillis(200));
                CompletableFuture<Throwable> refused = CompletableFuture.supplyAsync(() -> {
                    try {
                        third.connect("localhost", acceptor.localAddress().getPort());
                        return null;
                    } catch (IOException e) {
                        return e;
                    }
                }, threads);
                assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(SecureConnectionException.class,
                        e -> assertThat(e.reason()).isEqualTo(SecureConnectionException.Reason.HANDSHAKE_TIMEOUT));
            }
            send(clients.get(0), "still served");
            assertThat(receive(clients.get(0))).isEqualTo("still served");
        } finally {
            for (UdpSocket socket : clients) {
                socket.close();
            }
        }
    }

    @Test
    void aPlaintextAcceptorDropsDatagramsLargerThanItsMtuAllows() throws Exception {
        try (UdpAcceptor plain = UdpAcceptor.open(); DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            plain.securityProperties().disableSecurity();
            plain.bind("127.0.0.1", 0);
            InetSocketAddress target = plain.localAddress();
            sender.send(new DatagramPacket("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), 5, target));
            try (UdpSocket peer = plain.accept(WAIT)) {
                assertThat(receive(peer)).isEqualTo("hello");
                byte[] oversized = new byte[peer.maxMessageSize() + 1];
                sender.send(new DatagramPacket(oversized, oversized.length, target));
                sender.send(new DatagramPacket("after".getBytes(java.nio.charset.StandardCharsets.UTF_8), 5, target));
                assertThat(receive(peer)).as("the oversized datagram never reached the application").isEqualTo("after");
            }
        }
    }

    /**
     * A verifier that takes its time holds only its own handshake: with more slow verifications at
     * once than the acceptor has record workers, an established peer is still answered, and a new
     * client whose certificate is judged quickly still completes its handshake, within a second.
     */
    @Test
    void slowVerifiersStallNeitherOtherPeersTrafficNorOtherHandshakes() throws Exception {
        CountDownLatch slowEntered = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        reopened().securityProperties()
                .setClientAuthentication(ClientAuthentication.REQUIRED)
                .useCertificateVerifier(chain -> {
                    if (chain.leaf().getSubjectX500Principal().getName().startsWith("CN=slow")) {
                        slowEntered.countDown();
                        try {
                            return release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    }
                    return true;
                });
        acceptor.bind("127.0.0.1", 0);
        echoAll();
        int port = acceptor.localAddress().getPort();
        List<Future<?>> slow = new ArrayList<>();
        try (UdpSocket established = clientPresenting("early")) {
            established.connect("localhost", port);
            for (int i = 0; i < 4; i++) { // more than the record workers (one per core, at least two)
                UdpSocket socket = clientPresenting("slow-" + i);
                slow.add(threads.submit(() -> {
                    try (socket) {
                        socket.connect("localhost", port);
                    }
                    return null;
                }));
            }
            assertThat(slowEntered.await(20, TimeUnit.SECONDS)).as("all slow verifications under way").isTrue();

            long start = System.nanoTime();
            send(established, "still answered");
            assertThat(receive(established)).isEqualTo("still answered");
            try (UdpSocket fast = clientPresenting("fast")) {
                fast.connect("localhost", port);
                send(fast, "fast");
                assertThat(receive(fast)).isEqualTo("fast");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        } finally {
            release.countDown();
        }
        for (Future<?> handshake : slow) {
            handshake.get(30, TimeUnit.SECONDS); // and the slow ones complete once their verifier answers
        }
    }

    private UdpSocket clientPresenting(String name) {
        var identity = pki.client(name);
        UdpSocket socket = client();
        socket.securityProperties().useCertificates(List.of(identity.chainPem())).usePrivateKey(identity.keyPem())
                .setHandshakeTimeout(Duration.ofSeconds(30));
        return socket;
    }

    /**
     * One address passes the cookie exchange from new ports as fast as it can and then goes silent,
     * each such handshake holding a slot until it times out: it gets its share of the pending
     * handshakes, no more, and a client from another address is served within a second.
     */
    @Test
    void silentHandshakesFromOneAddressStarveNobody() throws Exception {
        reopened().securityProperties()
                .setHandshakeTimeout(Duration.ofSeconds(30)); // silent handshakes hold their slots throughout
        acceptor.setMaxPendingHandshakes(48).setMaxPendingHandshakesPerAddress(16);
        acceptor.bind("127.0.0.1", 0);
        echoAll();
        List<DatagramSocket> attackers = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) { // far more than the acceptor's pending slots
                DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
                attackers.add(attacker);
                passCookieExchangeThenGoSilent(attacker);
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (acceptor.peerCount() < 16 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the receiving thread sorts the last hellos
            }
            assertThat(acceptor.peerCount()).as("handshakes the attacker holds").isEqualTo(16);

            long start = System.nanoTime();
            try (UdpSocket socket = client()) {
                socket.connect("localhost", acceptor.localAddress().getPort());
                send(socket, "served");
                assertThat(receive(socket)).isEqualTo("served");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        } finally {
            attackers.forEach(DatagramSocket::close);
        }
    }

    /** Hellos a second from each flooding address. */
    private static final int FLOOD_RATE = 5_000;

    /**
     * Three other addresses send ClientHellos from many ports, {@link #FLOOD_RATE} a second each (each
     * one a cookie to make): a client from another address still completes its handshake within a
     * second (the median of three), the flood gets no state, and the acceptor's threads that come and
     * go are gone again.
     */
    @Test
    void aFloodOfHellosStarvesNobody() throws Exception {
        echoAll();
        try (UdpSocket warm = client()) {
            warm.connect("localhost", acceptor.localAddress().getPort());
            send(warm, "warm"); // the acceptor's threads exist, its code is compiled
            assertThat(receive(warm)).isEqualTo("warm");
        }
        byte[] hello = firstClientHello();
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Future<?>> flooders = new ArrayList<>();
        for (String address : List.of("127.0.0.3", "127.0.0.4", "127.0.0.5")) {
            flooders.add(threads.submit(() -> {
                List<DatagramSocket> ports = new ArrayList<>();
                try {
                    for (int i = 0; i < 32; i++) {
                        ports.add(new DatagramSocket(new InetSocketAddress(address, 0)));
                    }
                    DatagramPacket packet = new DatagramPacket(hello, hello.length, acceptor.localAddress());
                    long begin = System.nanoTime();
                    for (int i = 0; i < FLOOD_RATE * 10 && !stop.get(); i++) { // bounded: 10 s at most
                        while (i > (System.nanoTime() - begin) * FLOOD_RATE / 1_000_000_000L) {
                            java.util.concurrent.locks.LockSupport.parkNanos(500_000); // paced, FLOOD_RATE a second
                        }
                        ports.get(i % ports.size()).send(packet);
                        sent.incrementAndGet();
                    }
                } finally {
                    ports.forEach(DatagramSocket::close);
                }
                return null;
            }));
        }
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (sent.get() < FLOOD_RATE && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the flood is under way
            }
            List<Duration> served = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                try (UdpSocket socket = client()) {
                    socket.connect("localhost", acceptor.localAddress().getPort());
                    send(socket, "served " + i);
                    assertThat(receive(socket)).isEqualTo("served " + i);
                }
                served.add(Duration.ofNanos(System.nanoTime() - start));
            }
            assertThat(stop.get()).as("the flood lasted").isFalse();
            served.sort(null);
            assertThat(served.get(1)).as("median of %s", served).isLessThan(Duration.ofSeconds(1));
            assertThat(served.get(2)).as("slowest of %s", served).isLessThan(Duration.ofSeconds(3));
        } finally {
            stop.set(true);
            for (Future<?> flooder : flooders) {
                flooder.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        assertThat(acceptor.peerCount()).as("state held for the flood").isLessThanOrEqualTo(1);
        // the cookie thread and handshake threads end when idle; the receiver, timer and record workers stay
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!elasticAcceptorThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling, not synchronising: idle threads end after 5 s
        }
        assertThat(elasticAcceptorThreads()).isEmpty();
    }

    private List<String> elasticAcceptorThreads() {
        String prefix = "securenet-udp-" + acceptor.localAddress().getPort();
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith(prefix + "-handshake-") || name.startsWith(prefix + "-cookies"))
                .toList();
    }

    /** @return the first ClientHello a real client engine sends, without a cookie */
    private byte[] firstClientHello() throws Exception {
        SSLEngine engine = rawClientEngine();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    /** @return a JDK DTLS client engine for the acceptor, our MTU, its handshake begun */
    private SSLEngine rawClientEngine() throws Exception {
        SSLContext context = SSLContext.getInstance("DTLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine("localhost", acceptor.localAddress().getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setMaximumPacketSize(1200);
        engine.setSSLParameters(parameters);
        engine.beginHandshake();
        return engine;
    }

    /**
     * A real DTLS client engine sends its ClientHello, answers the acceptor's HelloVerifyRequest with
     * the cookie, and then never speaks again.
     */
    private void passCookieExchangeThenGoSilent(DatagramSocket attacker) throws Exception {
        SSLEngine engine = rawClientEngine();
        attacker.setSoTimeout((int) WAIT.toMillis());
        InetSocketAddress target = acceptor.localAddress();
        for (int flight = 0; flight < 2; flight++) {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            attacker.send(new DatagramPacket(out.array(), out.position(), target));
            if (flight == 0) {
                DatagramPacket answer = new DatagramPacket(new byte[4096], 4096);
                attacker.receive(answer);
                assertThat(answer.getData()[13]).as("a HelloVerifyRequest").isEqualTo((byte) 3);
                engine.unwrap(ByteBuffer.wrap(answer.getData(), 0, answer.getLength()),
                        ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()));
                runDelegatedTasks(engine);
            }
        }
    }

    private static void runDelegatedTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }
}
