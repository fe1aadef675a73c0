package dev.securenet.internal.dtls;

import dev.securenet.SecureConnectionException;
import dev.securenet.internal.net.AddressBound;
import dev.securenet.internal.net.DatagramSession;
import dev.securenet.internal.net.Handoff;
import dev.securenet.internal.net.Observation;
import dev.securenet.internal.tls.TlsSettings;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One UDP port serving many peers: datagrams are demultiplexed by source address. A new address
 * gets state only after it echoes a cookie given to that address (one exchange: see
 * {@link EngineCookies}, and {@link HelloVerifier} under a flood of hellos), except for a whole
 * resumption hello while lightly loaded in a JVM whose engines resume without a cookie (see
 * {@code resumesWithoutCookie}); pending handshakes and peers are bounded, handshakes time out,
 * idle peers are evicted. The receiving thread sorts
 * datagrams, checks cookies, and decrypts the application data of established associations that
 * have no work waiting; all other work of an association runs in order on workers, so a burst of
 * handshakes does not overflow the socket's buffer. Handshakes run on a pool with a thread for each
 * pending handshake at most, established associations on a small pool of their own: a slow
 * verifier delays only its own handshake, never other peers' traffic or handshakes. A timer thread
 * drives retransmissions and eviction through the same workers.
 */
public final class DtlsServer implements Closeable, DtlsAssociation.Server {

    /**
     * Resource bounds of a server.
     *
     * @param maxPeers             associations at once (established or handshaking)
     * @param maxPendingHandshakes handshakes at once
     * @param maxPendingHandshakesPerAddress handshakes at once from one source address
     * @param idleTimeout          an association silent this long is dropped
     * @param queuedMessages       received messages kept per peer for the application
     */
    public record Limits(int maxPeers, int maxPendingHandshakes, int maxPendingHandshakesPerAddress, Duration idleTimeout,
                         int queuedMessages) {
    }

    private static final System.Logger LOG = System.getLogger(DtlsServer.class.getName());
    private static final long TICK_MILLIS = 20;
    private static final int RECORD_WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    /** Datagrams (or timer ticks) waiting for one association's worker. */
    private static final int MAILBOX_CAPACITY = 256;

    private final DatagramSocket socket;
    /** The DTLS of new handshakes, {@code null} for plaintext; replaced by {@link #reconfigure}. */
    private volatile Security security;
    /** Timers and MTU of new associations (the handshake timeout comes with the security settings). */
    private volatile DtlsSettings dtls;
    private final Limits limits;
    private final Observation observation;
    private final HelloVerifier verifier = new HelloVerifier();
    private final EngineCookies engineCookies = new EngineCookies();
    /** Read once: the engines' behaviour it follows is fixed when they are first used. */
    private final boolean resumptionWithoutCookie = JdkDtls.resumesWithoutCookie();
    /** One association per peer address: established, or its first handshake. */
    private final Map<InetSocketAddress, DtlsAssociation> sessions = new ConcurrentHashMap<>();
    /** A new handshake from an address whose association is established: it replaces that one when it completes. */
    private final Map<InetSocketAddress, DtlsAssociation> successors = new ConcurrentHashMap<>();
    /** Guards moves between {@link #sessions} and {@link #successors}. */
    private final Object routes = new Object();
    private final AddressBound pending;
    private final Handoff<DtlsAssociation> accepted = new Handoff<>("peer", tag -> { });
    private final ScheduledExecutorService timer;
    /** Established associations' record work: CPU-bound, one thread per core. */
    private final ExecutorService workers;
    /** Handshakes, which may wait for a user's verifier: a thread for each pending handshake at most. */
    private final ExecutorService handshakeWorkers;
    /** Makes engine cookies: one thread while there are hellos to answer, a queue of one burst. */
    private final ThreadPoolExecutor cookieWorker;
    private final Thread receiver;
    private volatile boolean closed;

    private DtlsServer(DatagramSocket socket, SSLContext context, TlsSettings settings, DtlsSettings dtls, Limits limits,
                       Observation observation) {
        this.socket = socket;
        this.observation = observation;
        this.security = context == null ? null : new Security(context, settings);
        this.dtls = dtls;
        this.limits = limits;
        this.pending = new AddressBound(limits.maxPendingHandshakes(), limits.maxPendingHandshakesPerAddress());
        String name = "securenet-udp-" + socket.getLocalPort();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.timer.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        AtomicInteger workerCount = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(RECORD_WORKERS, runnable -> {
            Thread thread = new Thread(runnable, name + "-worker-" + workerCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // a thread per association draining at a time: about as many as pending handshakes, which are bounded
        this.handshakeWorkers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, name + "-handshake-" + workerCount.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.cookieWorker = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new ArrayBlockingQueue<>(EngineCookies.BURST),
                runnable -> {
                    Thread thread = new Thread(runnable, name + "-cookies");
                    thread.setDaemon(true);
                    return thread;
                });
        this.cookieWorker.allowCoreThreadTimeOut(true);
        try {
            // bursts of handshakes arrive faster than they are sorted: room for them (the kernel may cap it)
            socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
        } catch (SocketException e) {
            LOG.log(Level.DEBUG, "cannot enlarge the receive buffer: {0}", e.getMessage());
        }
        if (context != null && resumptionWithoutCookie) {
            LOG.log(Level.WARNING, "{0}: this JVM runs with {1}=false, so the JDK''s DTLS engines never complete a"
                    + " resumption whose ClientHello comes in fragments: a hello carrying a JDK session ticket does at"
                    + " an MTU under about 1,400 bytes (this acceptor''s is {2}), and such clients time out. Give this"
                    + " acceptor and its clients an MTU of 1,400 or more, or leave the property out.",
                    name, JdkDtls.RESUMPTION_COOKIE_PROPERTY, String.valueOf(dtls.mtu()));
        }
        this.receiver = new Thread(this::receive, name);
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    /**
     * Serves DTLS on a bound socket, which the server owns from now on.
     *
     * @param context  a "DTLS" context with the server's identity
     * @param settings the server's security settings (client authentication, suites)
     */
    public static DtlsServer secure(DatagramSocket bound, SSLContext context, TlsSettings settings, DtlsSettings dtls,
                                    Limits limits, Observation observation) {
        return new DtlsServer(bound, context, settings, dtls, limits, observation);
    }

    /**
     * New handshakes use this context and these settings from now on; established associations, and
     * handshakes already under way, keep theirs.
     */
    public void reconfigure(SSLContext context, TlsSettings settings, DtlsSettings dtls) {
        if (security == null) {
            throw new IllegalStateException("a plaintext server stays plaintext");
        }
        this.dtls = dtls;
        security = new Security(context, settings);
    }

    /** Serves plain UDP (security explicitly disabled) on a bound socket, with the same per-peer sessions. */
    public static DtlsServer plaintext(DatagramSocket bound, DtlsSettings dtls, Limits limits, Observation observation) {
        return new DtlsServer(bound, null, null, dtls, limits, observation);
    }

    /**
     * Takes the next peer whose handshake finished (or failed).
     *
     * @param timeout how long to wait, or {@code null} for no limit
     */
    public DatagramSession take(Duration timeout) throws IOException {
        return accepted.take(timeout);
    }

    /** @return how many peers have state right now (established or handshaking) */
    public int peerCount() {
        return sessions.size() + successors.size();
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
            try {
                InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
                if (!decryptedHere(ByteBuffer.wrap(buffer, 0, packet.getLength()), from)) {
                    // it may wait for a worker, while the buffer takes the next datagram
                    handle(ByteBuffer.wrap(java.util.Arrays.copyOf(buffer, packet.getLength())), from);
                }
            } catch (RuntimeException e) {
                // one peer's bad datagram must never stop the others
                LOG.log(Level.DEBUG, "dropped a datagram from " + packet.getSocketAddress() + ": " + e, e);
            }
        }
    }

    /**
     * Established traffic takes no hand-off while its association is idle: application data for an
     * established association without a handshake beside it is decrypted on the receiving thread,
     * which no handshake or verifier ever holds up. Everything else goes to {@link #handle}.
     *
     * @param datagram the received bytes, in the receiving buffer: not kept
     * @return whether the datagram was fed to its association
     */
    private boolean decryptedHere(ByteBuffer datagram, InetSocketAddress from) {
        if (security == null || !successors.isEmpty() && successors.containsKey(from)) {
            return false;
        }
        DtlsAssociation session = sessions.get(from);
        return session != null && session.isEstablished() && DtlsRecords.isApplicationDataOnly(datagram)
                && session.onApplicationDataHereIfIdle(datagram);
    }

    private void handle(ByteBuffer datagram, InetSocketAddress from) {
        // successors before sessions: a successor enters sessions before it leaves successors, so
        // reading in this order never misses one that is being promoted
        DtlsAssociation waiting = successors.isEmpty() ? null : successors.get(from);
        DtlsAssociation session = sessions.get(from);
        DtlsAssociation successor = waiting == session ? null : waiting; // else promoted between the two reads
        Security secure = security;
        boolean hello = secure != null && DtlsRecords.isClientHello(datagram);
        if (session != null && !(hello && session.isEstablished())) {
            // a handshake in progress takes everything, hellos included: its engine handles retransmissions
            if (successor == null || !session.isEstablished()) {
                session.post(() -> session.onDatagram(datagram));
            } else if (DtlsRecords.isHandshakeTraffic(datagram)) {
                successor.post(() -> successor.onDatagram(datagram));
            } else {
                // the established association and its successor both speak epoch 1, with keys of
                // their own: what the established one cannot authenticate is the successor's (sent
                // as soon as its client had the new keys). The engine may decrypt in place, so the
                // successor gets the bytes as they came.
                ByteBuffer copy = ByteBuffer.wrap(java.util.Arrays.copyOfRange(datagram.array(),
                        datagram.arrayOffset() + datagram.position(), datagram.arrayOffset() + datagram.limit()));
                session.post(() -> {
                    if (!session.onDatagram(copy)) {
                        successor.post(() -> successor.onDatagram(datagram));
                    }
                });
            }
            return;
        }
        if (secure == null) {
            if (sessions.size() < limits.maxPeers()) {
                DtlsAssociation plain = association(from, null, null);
                sessions.put(from, plain);
                accepted.deliver(plain);
                plain.post(() -> plain.onDatagram(datagram));
            }
            return;
        }
        if (!hello) {
            return; // not for us, or from a peer we already dropped
        }
        HelloVerifier.Hello parsed = HelloVerifier.parse(datagram);
        if (parsed == null) {
            if (successor != null) {
                successor.post(() -> successor.onDatagram(datagram)); // a later fragment of its hello
            }
            return;
        }
        if (session != null) {
            if (session.startedBy(parsed)) {
                // a late copy of the hello that started this association (a retransmission that waited
                // in a queue, or a replay): not a new handshake, which needs a hello of its own
                return;
            }
            if (successor != null && successor.startedBy(parsed)) {
                successor.post(() -> successor.onDatagram(datagram));
                return;
            }
        }
        if (!engineCookies.isProven(datagram, parsed, from) && !verifier.isVerified(datagram, parsed, from)
                && !resumesWithoutCookie(parsed)) {
            challenge(datagram, parsed, from, secure);
            return;
        }
        synchronized (routes) {
            if (session != null && sessions.get(from) != session) {
                return; // the association ended meanwhile; the client retransmits its hello
            }
            if (session != null) {
                // a client that restarted on the same address and port, or a replayed hello: the
                // established association keeps working until the new handshake completes (RFC 6347
                // §4.2.8), so a hello nobody can finish ends nothing
                DtlsAssociation abandoned = successors.remove(from);
                if (abandoned != null) {
                    abandoned.postSupersede(); // the client started over once more
                }
            }
            if (sessions.size() + successors.size() >= limits.maxPeers() || !pending.tryAcquire(from.getAddress())) {
                // the address proved itself, but it (or everyone) has as many handshakes going as allowed
                LOG.log(Level.DEBUG, "no room for a handshake with {0}: it will retransmit", from);
                return;
            }
            DtlsAssociation fresh = association(from, secure.engine(dtls.mtu()),
                    parsed.clientRandom());
            (session == null ? sessions : successors).put(from, fresh);
            fresh.post(() -> fresh.start(datagram, parsed));
        }
    }

    /**
     * Whether a hello from an address not yet proven starts a handshake at once: only when the JVM's
     * engines resume sessions without a cookie exchange ({@link JdkDtls#resumesWithoutCookie()}), only
     * for a hello that offers to resume (a session ID) in one piece, and only while fewer than a
     * third of the handshakes allowed at once are under way. So a lightly loaded acceptor resumes in
     * one round trip, and under load every new address proves itself first. A hello whose session
     * the engine does not know gets the engine's own HelloVerifyRequest, and one cookie exchange in
     * all. A fragmented hello (the JDK's session tickets take over 1,000 bytes, so at an MTU of 1,200
     * a hello carrying one is) is challenged as ever: the engine drops the later fragments of a hello
     * that has not passed a cookie check, so it would never complete.
     */
    private boolean resumesWithoutCookie(HelloVerifier.Hello hello) {
        return resumptionWithoutCookie && hello.sessionIdLength() > 0 && hello.cookieLength() == 0 && hello.whole()
                && pending.held() < limits.maxPendingHandshakes() / 3;
    }

    /**
     * Answers a hello from an address not yet proven: with the engine's cookie (one exchange in all),
     * made on the cookie thread so that the receiving thread never waits for an engine; or, when
     * hellos come faster than the budget of engine cookies, at once with the stateless cookie (the
     * engine then asks for its own: one more exchange).
     */
    private void challenge(ByteBuffer datagram, HelloVerifier.Hello hello, InetSocketAddress from, Security secure) {
        if (engineCookies.mayMake()) {
            try {
                cookieWorker.execute(() -> {
                    ByteBuffer answer = engineCookies.challenge(() -> secure.engine(dtls.mtu()), datagram, hello, from);
                    observation.cookieSent(); // first: the client may answer before transmit returns
                    transmit(answer != null ? answer : verifier.challenge(hello, from), from);
                });
                return;
            } catch (RejectedExecutionException e) {
                // closing, or a burst beyond the budget's: the stateless cookie answers
            }
        }
        observation.cookieSent();
        transmit(verifier.challenge(hello, from), from);
    }

    /**
     * What secures new handshakes: replaced as a whole, so a handshake never mixes two configurations.
     *
     * @param policy the engines' parameters, asked of the provider once
     */
    private record Security(SSLContext context, SSLParameters policy) {
        Security(SSLContext context, TlsSettings settings) {
            this(context, DtlsEngines.serverPolicy(context, settings));
        }

        SSLEngine engine(int mtu) {
            return DtlsEngines.server(context, policy, mtu);
        }
    }

    private DtlsAssociation association(InetSocketAddress remote, SSLEngine engine, byte[] clientRandom) {
        return new DtlsAssociation(this, remote, engine, clientRandom, dtls, limits.idleTimeout(), limits.queuedMessages(),
                new Mailbox(engine == null ? workers : handshakeWorkers, MAILBOX_CAPACITY), observation);
    }

    @Override
    public void transmit(ByteBuffer datagram, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(datagram.array(), datagram.arrayOffset() + datagram.position(), datagram.remaining(), to));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "send to {0} failed: {1}", to, e.getMessage());
        }
    }

    @Override
    public void sendPlain(byte[] datagram, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void established(DtlsAssociation association) {
        pending.release(association.remote().getAddress());
        association.moveTo(workers);
        synchronized (routes) {
            if (successors.get(association.remote()) == association) {
                // into sessions first, then out of successors: the receiving thread always finds it
                DtlsAssociation previous = sessions.put(association.remote(), association);
                successors.remove(association.remote(), association);
                if (previous != null) {
                    LOG.log(Level.DEBUG, "{0} completed a new handshake: its previous association ends", association.remote());
                    previous.postSupersede();
                }
            }
        }
        accepted.deliver(association);
    }

    @Override
    public void failed(SecureConnectionException failure) {
        if (accepted.size() < limits.maxPendingHandshakes()) {
            accepted.fail(failure); // bounded: nobody may be calling accept()
        }
    }

    @Override
    public void ended(DtlsAssociation association, boolean wasPending) {
        if (wasPending) {
            pending.release(association.remote().getAddress());
        }
        synchronized (routes) {
            InetSocketAddress remote = association.remote();
            if (successors.remove(remote, association)) {
                return;
            }
            DtlsAssociation successor = successors.get(remote);
            if (successor == null) {
                sessions.remove(remote, association);
            } else if (sessions.replace(remote, association, successor)) {
                successors.remove(remote, successor); // its handshake goes on, now the first
            }
        }
    }

    private void tick() {
        long now = System.nanoTime();
        for (Map<InetSocketAddress, DtlsAssociation> associations : List.of(sessions, successors)) {
            for (DtlsAssociation session : associations.values()) {
                if (session.isDue(now)) {
                    session.postTick(now);
                }
            }
        }
    }

    /** Stops serving: sends close_notify to every peer and closes the socket. */
    @Override
    public void close() {
        closed = true;
        for (DtlsAssociation session : List.copyOf(successors.values())) {
            session.close();
        }
        for (DtlsAssociation session : List.copyOf(sessions.values())) {
            session.close();
        }
        timer.shutdownNow();
        cookieWorker.shutdownNow();
        workers.shutdown();
        handshakeWorkers.shutdown();
        socket.close();
        accepted.close();
    }
}
