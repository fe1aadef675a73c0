package dev.securenet.internal.dtls;

import dev.securenet.SecureConnectionException;
import dev.securenet.internal.net.DatagramSession;
import dev.securenet.internal.net.PlainDatagramClient;
import dev.securenet.internal.tls.HandshakeFailures;
import dev.securenet.internal.tls.PeerChains;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * One UDP port serving many peers: datagrams are demultiplexed by source address. A new address
 * gets state only after our stateless, address-bound cookie exchange; pending handshakes and peers
 * are bounded, handshakes time out, idle peers are evicted. One receiving thread does all record
 * work; a timer thread drives retransmissions and eviction.
 */
public final class DtlsServer implements Closeable {

    /**
     * Resource bounds of a server.
     *
     * @param maxPeers             associations at once (established or handshaking)
     * @param maxPendingHandshakes handshakes at once
     * @param idleTimeout          an association silent this long is dropped
     * @param queuedMessages       received messages kept per peer for the application
     */
    public record Limits(int maxPeers, int maxPendingHandshakes, Duration idleTimeout, int queuedMessages) {
    }

    private record Outcome(Session session, IOException failure) {
    }

    private static final System.Logger LOG = System.getLogger(DtlsServer.class.getName());
    private static final Outcome CLOSED = new Outcome(null, null);
    private static final long TICK_MILLIS = 20;

    private final DatagramSocket socket;
    private final SSLContext context;
    private final boolean requireClientCertificates;
    private final DtlsSettings dtls;
    private final Limits limits;
    private final HelloVerifier verifier = new HelloVerifier();
    private final Map<InetSocketAddress, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final BlockingQueue<Outcome> accepted = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timer;
    private final Thread receiver;
    private volatile boolean closed;

    private DtlsServer(DatagramSocket socket, SSLContext context, boolean requireClientCertificates, DtlsSettings dtls, Limits limits) {
        this.socket = socket;
        this.context = context;
        this.requireClientCertificates = requireClientCertificates;
        this.dtls = dtls;
        this.limits = limits;
        String name = "securenet-udp-" + socket.getLocalPort();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.timer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        this.receiver = new Thread(this::receive, name);
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    /**
     * Serves DTLS on a bound socket, which the server owns from now on.
     *
     * @param context                   a "DTLS" context with the server's identity
     * @param requireClientCertificates whether clients must present certificates
     */
    public static DtlsServer secure(DatagramSocket bound, SSLContext context, boolean requireClientCertificates,
                                    DtlsSettings dtls, Limits limits) {
        return new DtlsServer(bound, context, requireClientCertificates, dtls, limits);
    }

    /** Serves plain UDP (security explicitly disabled) on a bound socket, with the same per-peer sessions. */
    public static DtlsServer plaintext(DatagramSocket bound, DtlsSettings dtls, Limits limits) {
        return new DtlsServer(bound, null, false, dtls, limits);
    }

    /**
     * Takes the next peer whose handshake finished (or failed).
     *
     * @param timeout how long to wait, or {@code null} for no limit
     */
    public DatagramSession take(Duration timeout) throws IOException {
        Outcome outcome;
        try {
            outcome = timeout == null ? accepted.take() : accepted.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a peer");
        }
        if (outcome == null) {
            throw new SocketTimeoutException("no peer completed a handshake within " + timeout.toMillis() + " ms");
        }
        if (outcome == CLOSED) {
            accepted.add(CLOSED);
            throw new SocketException("the acceptor is closed");
        }
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.session();
    }

    /** @return how many peers have state right now (established or handshaking) */
    public int peerCount() {
        return sessions.size();
    }

    private void receive() {
        byte[] buffer = new byte[65_535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.DEBUG, "receive failed: {0}", e.getMessage());
                continue;
            }
            byte[] copy = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            try {
                handle(ByteBuffer.wrap(copy), (InetSocketAddress) packet.getSocketAddress());
            } catch (RuntimeException e) {
                // one peer's bad datagram must never stop the others
                LOG.log(Level.DEBUG, "dropped a datagram from " + packet.getSocketAddress() + ": " + e, e);
            }
        }
    }

    private void handle(ByteBuffer datagram, InetSocketAddress from) {
        Session session = sessions.get(from);
        // a ClientHello on an established association is a client that restarted on the same
        // address and port (RFC 6347 §4.2.8): it proves the address like anyone else, then replaces it
        boolean restart = session != null && context != null && session.isEstablished() && DtlsRecords.isClientHello(datagram);
        if (session != null && !restart) {
            session.onDatagram(datagram);
            return;
        }
        if (context == null) {
            if (sessions.size() < limits.maxPeers()) {
                Session plain = new Session(from, null);
                sessions.put(from, plain);
                accepted.add(new Outcome(plain, null));
                plain.onDatagram(datagram);
            }
            return;
        }
        if (!DtlsRecords.isClientHello(datagram)) {
            return; // not for us, or from a peer we already dropped
        }
        HelloVerifier.Hello hello = HelloVerifier.parse(datagram);
        if (hello == null) {
            return;
        }
        if (!verifier.isVerified(datagram, hello, from)) {
            transmit(verifier.challenge(hello, from), from);
            return;
        }
        if (restart) {
            LOG.log(Level.DEBUG, "{0} started a new association: the old one ends", from);
            session.supersede();
        }
        if (pending.get() >= limits.maxPendingHandshakes() || sessions.size() >= limits.maxPeers()) {
            LOG.log(Level.DEBUG, "no room for a handshake with {0}: it will retransmit", from);
            return;
        }
        Session fresh = new Session(from, DtlsEngines.server(context, requireClientCertificates, dtls.mtu()));
        sessions.put(from, fresh);
        pending.incrementAndGet();
        fresh.start(datagram, hello);
    }

    private void transmit(ByteBuffer datagram, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(datagram.array(), datagram.arrayOffset() + datagram.position(), datagram.remaining(), to));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "send to {0} failed: {1}", to, e.getMessage());
        }
    }

    private void tick() {
        long now = System.nanoTime();
        for (Session session : sessions.values()) {
            try {
                session.tick(now);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "timer failed for " + session.remote + ": " + e, e);
            }
        }
    }

    /** Stops serving: sends close_notify to every peer and closes the socket. */
    @Override
    public void close() {
        closed = true;
        for (Session session : sessions.values()) {
            session.close();
        }
        timer.shutdownNow();
        socket.close();
        accepted.add(CLOSED);
    }

    /** One peer's association. Plaintext sessions have no {@link DtlsPeer}. */
    private final class Session implements DatagramSession {

        private final InetSocketAddress remote;
        private final DtlsPeer peer;
        private final Messages inbound = new Messages(limits.queuedMessages());
        private final long handshakeDeadline = System.nanoTime() + dtls.handshakeTimeout().toNanos();
        private volatile long lastActivity = System.nanoTime();
        private Duration retransmission = dtls.retransmissionTimeout();
        /** No timer until the client echoes the engine's cookie: a HelloVerifyRequest is never retransmitted (RFC 6347 §4.2.1). */
        private long nextRetransmission = Long.MAX_VALUE;
        private boolean timerArmed;
        private boolean established;
        private boolean pendingReleased;
        private boolean muted;
        private boolean ended;
        private int maxPayload;

        Session(InetSocketAddress remote, javax.net.ssl.SSLEngine engine) {
            this.remote = remote;
            this.peer = engine == null ? null : new DtlsPeer(engine, this::transmitUnlessMuted);
            this.established = engine == null;
            this.maxPayload = PlainDatagramClient.maxPayload(dtls.mtu());
        }

        private void transmitUnlessMuted(ByteBuffer datagram) {
            if (!muted) {
                transmit(datagram, remote);
            }
        }

        synchronized void start(ByteBuffer datagram, HelloVerifier.Hello hello) {
            try {
                // see HelloVerifier.initialHello: the engine's answer to the synthesized hello is not sent
                muted = true;
                peer.begin();
                peer.onDatagram(HelloVerifier.initialHello(datagram, hello));
                muted = false;
                peer.onDatagram(datagram);
            } catch (IOException e) {
                muted = false;
                fail(e, false);
            }
        }

        synchronized void onDatagram(ByteBuffer datagram) {
            if (ended) {
                return;
            }
            if (peer == null) {
                lastActivity = System.nanoTime();
                byte[] message = new byte[datagram.remaining()];
                datagram.get(message);
                inbound.offer(message);
                return;
            }
            List<byte[]> messages;
            try {
                messages = peer.onDatagram(datagram);
            } catch (IOException e) {
                fail(e, false);
                return;
            }
            if (!established) {
                if (peer.isFinished()) {
                    lastActivity = System.nanoTime();
                    releasePending();
                    established = true;
                    maxPayload = dtls.maxPayload(peer.engine().getSession().getCipherSuite());
                    accepted.add(new Outcome(this, null));
                } else {
                    retransmission = dtls.retransmissionTimeout(); // progress: a fresh timer for the next flight
                    nextRetransmission = System.nanoTime() + retransmission.toNanos();
                    timerArmed = true;
                }
            }
            if (!messages.isEmpty()) {
                lastActivity = System.nanoTime(); // authenticated traffic only: forged datagrams keep nobody alive
            }
            for (byte[] message : messages) {
                inbound.offer(message);
            }
            if (peer.isInboundClosed()) {
                end();
            }
        }

        synchronized boolean isEstablished() {
            return established && !ended;
        }

        /** The peer started over on the same address: this association is gone, no close_notify. */
        synchronized void supersede() {
            if (!ended) {
                end();
            }
        }

        synchronized void tick(long now) {
            if (ended) {
                return;
            }
            if (!established) {
                if (now - handshakeDeadline > 0) {
                    fail(new SocketTimeoutException("handshake deadline"), true);
                } else if (timerArmed && now - nextRetransmission > 0) {
                    try {
                        peer.onTimeout();
                    } catch (IOException e) {
                        fail(e, false);
                        return;
                    }
                    retransmission = dtls.next(retransmission);
                    nextRetransmission = now + retransmission.toNanos();
                }
            } else if (now - lastActivity > limits.idleTimeout().toNanos()) {
                LOG.log(Level.DEBUG, "evicting idle peer {0}", remote);
                end();
            }
        }

        private void fail(IOException failure, boolean timedOut) {
            SecureConnectionException classified = HandshakeFailures.classify(failure, timedOut, "client " + remote,
                    dtls.handshakeTimeout().toMillis());
            LOG.log(Level.DEBUG, "handshake with {0} failed: {1}", remote, classified.getMessage());
            if (!established && accepted.size() < limits.maxPendingHandshakes()) {
                accepted.add(new Outcome(null, classified)); // bounded: nobody may be calling accept()
            }
            end(); // callers check 'ended' first, so this runs once
        }

        private void end() {
            ended = true;
            releasePending();
            sessions.remove(remote, this);
            inbound.end();
        }

        /** A handshaking session holds one pending slot until it is established or ends. */
        private void releasePending() {
            if (peer != null && !established && !pendingReleased) {
                pendingReleased = true;
                pending.decrementAndGet();
            }
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            if (ended) {
                throw new SocketException("the association with " + remote + " has ended");
            }
            if (peer == null) {
                byte[] bytes = PlainDatagramClient.datagram(message, maxPayload);
                socket.send(new DatagramPacket(bytes, bytes.length, remote));
                return;
            }
            peer.send(message, maxPayload);
        }

        @Override
        public int receive(ByteBuffer destination, Duration timeout) throws IOException {
            return inbound.take(destination, timeout);
        }

        @Override
        public int maxMessageSize() {
            return maxPayload;
        }

        @Override
        public String protocol() {
            return peer == null ? "plaintext" : peer.engine().getSession().getProtocol();
        }

        @Override
        public List<X509Certificate> peerCertificates() {
            return peer == null ? List.of() : PeerChains.of(peer.engine().getSession());
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public InetSocketAddress localAddress() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public synchronized void close() {
            if (ended) {
                return;
            }
            if (peer != null && established) {
                try {
                    peer.close();
                } catch (IOException e) {
                    // close_notify is a courtesy over UDP
                }
            }
            end();
        }
    }
}
