package dev.securenet.internal.dtls;

import dev.securenet.SecureConnectionException;
import dev.securenet.internal.net.DatagramSession;
import dev.securenet.internal.net.Observation;
import dev.securenet.internal.net.PlainDatagramClient;
import dev.securenet.internal.tls.HandshakeFailures;
import dev.securenet.internal.tls.PeerChains;
import dev.securenet.internal.tls.Sessions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import javax.net.ssl.SSLEngine;

/**
 * The state of one peer of a {@link DtlsServer}: its engine, handshake timers, received messages and
 * idle time. Plaintext associations have no {@link DtlsPeer}. The server feeds it datagrams and
 * clock ticks; it reports back through {@link Server}.
 */
final class DtlsAssociation implements DatagramSession {

    /** What an association needs of the server that owns the socket. */
    interface Server {
        void transmit(ByteBuffer datagram, InetSocketAddress to);

        void sendPlain(byte[] datagram, InetSocketAddress to) throws IOException;

        InetSocketAddress localAddress();

        /** The handshake finished: hand the association to {@code accept()}. */
        void established(DtlsAssociation association);

        /** The handshake failed after the peer proved its address. */
        void failed(SecureConnectionException failure);

        /** The association ended; {@code wasPending} if it still held a pending-handshake slot. */
        void ended(DtlsAssociation association, boolean wasPending);
    }

    private static final System.Logger LOG = System.getLogger(DtlsAssociation.class.getName());

    private final Server server;
    private final InetSocketAddress remote;
    private final DtlsSettings dtls;
    private final Duration idleTimeout;
    private final DtlsPeer peer;
    private final Messages inbound;
    private final long handshakeDeadline;
    /** When the handshake began ({@link System#currentTimeMillis()}), to tell a resumed session. */
    private final long handshakeStarted = System.currentTimeMillis();
    private volatile boolean resumed;
    private volatile long lastActivity = System.nanoTime();
    private final Mailbox mailbox;
    private final Observation observation;
    /** Hears how the handshake ends; {@code null} for plaintext. */
    private final Observation.Handshake handshake;
    /** Reports the end of an established association, once. */
    private Runnable closedReport = () -> { };
    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private Duration retransmission;
    /** No timer until the client echoes the engine's cookie: a HelloVerifyRequest is never retransmitted (RFC 6347 §4.2.1). */
    private volatile long nextRetransmission;
    private volatile boolean timerArmed;
    // volatile: the receiving thread and the timer read them without waiting for the worker
    private volatile boolean established;
    private volatile boolean ended;
    /** The client random of the ClientHello that started this association; {@code null} for plaintext. */
    private final byte[] clientRandom;
    private boolean muted;
    private int maxPayload;

    /**
     * @param engine       the server engine, or {@code null} for a plaintext association (established at once)
     * @param clientRandom the client random of the ClientHello that starts it, known before any work
     *                     is done, so that its retransmissions are recognised at once
     */
    DtlsAssociation(Server server, InetSocketAddress remote, SSLEngine engine, byte[] clientRandom, DtlsSettings dtls,
                    Duration idleTimeout, int queuedMessages, Mailbox mailbox, Observation observation) {
        this.mailbox = mailbox;
        this.clientRandom = clientRandom;
        this.observation = observation;
        this.handshake = engine == null ? null : observation.handshakeStarted();
        this.server = server;
        this.remote = remote;
        this.dtls = dtls;
        this.idleTimeout = idleTimeout;
        this.peer = engine == null ? null : new DtlsPeer(engine, this::transmitUnlessMuted);
        this.inbound = new Messages(queuedMessages);
        this.handshakeDeadline = System.nanoTime() + dtls.handshakeTimeout().toNanos();
        this.retransmission = dtls.retransmissionTimeout();
        this.established = engine == null;
        this.maxPayload = PlainDatagramClient.maxPayload(dtls.mtu());
        if (engine == null) {
            closedReport = observation.connectionOpened();
        }
    }

    InetSocketAddress remote() {
        return remote;
    }

    /**
     * Runs work for this association on its server's workers, in the order posted; all the methods
     * the server calls on receipt of a datagram or a timer tick run this way.
     */
    void post(Runnable work) {
        if (!mailbox.post(work)) {
            LOG.log(Level.DEBUG, "dropped work for {0}: its queue is full", remote);
        }
    }

    /**
     * Feeds an established association's datagram of application data on the calling thread (the
     * receiving one), unless work of this association is waiting or running: decrypting a record
     * takes less than handing it to a worker. The datagram is not kept once this returns.
     *
     * @return whether it was fed; if not, the caller posts it
     */
    boolean onApplicationDataHereIfIdle(ByteBuffer datagram) {
        return mailbox.runHereIfIdle(() -> onDatagram(datagram));
    }

    /** Its handshake is done: later work runs on the pool of established associations. */
    void moveTo(java.util.concurrent.Executor pool) {
        mailbox.moveTo(pool);
    }

    /** Ends this association on its worker even when its queue is full: the client started over. */
    void postSupersede() {
        mailbox.postControl(this::supersede);
    }

    /** Posts one timer tick, unless one is already waiting for the worker. */
    void postTick(long now) {
        if (tickQueued.compareAndSet(false, true)) {
            mailbox.postControl(() -> {
                tickQueued.set(false);
                tick(now);
            });
        }
    }

    /** @return whether {@link #tick} has something to do now (read without waiting for the worker) */
    boolean isDue(long now) {
        if (ended) {
            return false;
        }
        if (!established) {
            return now - handshakeDeadline > 0 || (timerArmed && now - nextRetransmission > 0);
        }
        return now - lastActivity > idleTimeout.toNanos();
    }

    private void transmitUnlessMuted(ByteBuffer datagram) {
        if (!muted) {
            server.transmit(datagram, remote);
        }
    }

    /**
     * Starts the server's handshake with the client's ClientHello: one that echoes a cookie, or a
     * first one (a resumption let in without a cookie exchange).
     */
    synchronized void start(ByteBuffer datagram, HelloVerifier.Hello hello) {
        if (ended) {
            return; // closed (the server stopped) before its worker got to it
        }
        try {
            peer.begin();
            if (hello.cookieLength() > 0) {
                // see HelloVerifier.initialHello: the engine's answer to the synthesized hello is not sent
                muted = true;
                peer.onDatagram(HelloVerifier.initialHello(datagram, hello));
                muted = false;
            }
            peer.onDatagram(datagram);
        } catch (IOException e) {
            muted = false;
            fail(e, false);
        }
    }

    /**
     * Feeds one received datagram.
     *
     * @return whether it held anything this association could authenticate (or was plaintext): a
     *         record under other keys, a replay or a forgery did not
     */
    synchronized boolean onDatagram(ByteBuffer datagram) {
        if (ended) {
            return false;
        }
        if (peer == null) {
            if (datagram.remaining() > maxPayload) {
                return false; // larger than this endpoint's MTU allows: dropped, as a DTLS record that size would be
            }
            lastActivity = System.nanoTime();
            byte[] message = new byte[datagram.remaining()];
            datagram.get(message);
            observation.bytesReceived(message.length);
            inbound.offer(message);
            return true;
        }
        List<byte[]> messages;
        try {
            messages = peer.onDatagram(datagram);
        } catch (IOException e) {
            fail(e, false);
            return true;
        }
        boolean wasEstablished = established;
        if (!established) {
            if (peer.isFinished()) {
                lastActivity = System.nanoTime();
                established = true;
                maxPayload = dtls.maxPayload(peer.engine().getSession().getCipherSuite());
                resumed = Sessions.resumed(peer.engine().getSession(), handshakeStarted);
                handshake.succeeded(peer.engine().getSession().getProtocol());
                closedReport = observation.connectionOpened();
                server.established(this);
            } else if (!peer.awaitsCookie()) {
                retransmission = dtls.retransmissionTimeout(); // progress: a fresh timer for the next flight
                nextRetransmission = System.nanoTime() + retransmission.toNanos();
                timerArmed = true;
            }
        }
        if (!messages.isEmpty()) {
            lastActivity = System.nanoTime(); // authenticated traffic only: forged datagrams keep nobody alive
        }
        for (byte[] message : messages) {
            observation.bytesReceived(message.length);
            inbound.offer(message);
        }
        if (peer.isInboundClosed()) {
            end();
            return true;
        }
        return !wasEstablished || !messages.isEmpty();
    }

    /** @return whether this ClientHello is (a copy of) the one that started this association */
    boolean startedBy(HelloVerifier.Hello hello) {
        return clientRandom != null && Arrays.equals(clientRandom, hello.clientRandom());
    }

    boolean isEstablished() {
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
        } else if (now - lastActivity > idleTimeout.toNanos()) {
            LOG.log(Level.DEBUG, "evicting idle peer {0}", remote);
            end();
        }
    }

    private void fail(IOException failure, boolean timedOut) {
        if (!timedOut && !muted) {
            peer.sendFailureAlert(); // the client gives up at once instead of retransmitting to its timeout
        }
        SecureConnectionException classified = HandshakeFailures.classify(failure, timedOut, "client " + remote,
                dtls.handshakeTimeout().toMillis(), true);
        LOG.log(Level.DEBUG, "handshake with {0} failed: {1}", remote, classified.getMessage());
        if (!established) {
            handshake.failed(classified);
            server.failed(classified);
        }
        end(); // callers check 'ended' first, so this runs once
    }

    private void end() {
        ended = true;
        if (handshake != null && !established) {
            // superseded by the client's next handshake, or the server closed: not a failure of the peer's
            handshake.failed(new SecureConnectionException(SecureConnectionException.Reason.HANDSHAKE_FAILED,
                    "The handshake with client " + remote + " was abandoned: the client started another, or the acceptor closed.", null));
        }
        closedReport.run();
        inbound.end();
        server.ended(this, peer != null && !established);
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        if (ended) {
            throw new SocketException("the association with " + remote + " has ended");
        }
        int length = message.remaining();
        if (peer == null) {
            server.sendPlain(PlainDatagramClient.datagram(message, maxPayload), remote);
        } else {
            peer.send(message, maxPayload);
        }
        observation.bytesSent(length);
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
    public boolean resumed() {
        return resumed;
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
        return server.localAddress();
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
