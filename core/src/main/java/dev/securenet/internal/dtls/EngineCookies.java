package dev.securenet.internal.dtls;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * Cookies the JDK's engine accepts, handed out so that a client does one cookie exchange in all:
 * RFC 6347 §4.2.1 has one, and some clients answer no second HelloVerifyRequest.
 *
 * <p>The engine's cookie is a hash of the hello's fixed fields and a secret of its
 * {@code SSLContext}, so a throwaway engine of that context, shown the client's hello, yields the
 * cookie that the association's engine accepts later. That cookie says nothing of the address it
 * was sent to: each one handed out is recorded with that address and port, and only a hello from
 * there counts as proven. The record is bounded ({@link #CAPACITY} entries, the oldest dropped
 * first, each kept {@link #LIFETIME_MILLIS}); a client whose entry was dropped is simply challenged
 * again.
 *
 * <p>A throwaway engine costs tens of microseconds where the stateless cookie costs one HMAC, so
 * engine cookies get a budget of time: making them may take a {@link #SHARE}th of one core's time
 * (after a quiet spell, a {@link #SHARE}th of {@link #WINDOW_MILLIS} at once), counted in CPU time
 * of the thread that makes them where the JVM measures it, so that a machine busy with handshakes
 * (whose cookie thread waits for a core) does not shrink the budget. A budget of time
 * rather than of cookies follows what they cost on the machine at hand: a fast one answers all the
 * hellos its handshakes can follow (resumptions included, which may come thousands a second), a
 * slow or busy one fewer. Beyond it, under a flood of hellos, the caller answers with the stateless
 * cookie, and those clients do two exchanges.
 */
final class EngineCookies {

    static final int CAPACITY = 4096;
    static final long LIFETIME_MILLIS = HelloVerifier.ROTATION_MILLIS;
    /** Engine cookies may take one core's time divided by this. */
    static final int SHARE = 10;
    /** How long a quiet spell's unspent budget is kept, for a burst of clients. */
    static final long WINDOW_MILLIS = 1000;
    /** Cookies waiting to be made at most: beyond them, the stateless cookie answers at once. */
    static final int BURST = 100;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    /** A cookie and where it went; a {@link ByteBuffer} compares by content. */
    private record Binding(InetSocketAddress address, ByteBuffer cookie) {
    }

    /** When each binding was made ({@link System#nanoTime()}), oldest first. */
    private final Map<Binding, Long> handedOut = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Binding, Long> eldest) {
            return size() > CAPACITY;
        }
    };
    /**
     * The budget: cookies may be made while this lies in the past ({@link System#nanoTime()}); each
     * one made moves it on by {@link #SHARE} times what it took.
     */
    private long budgetUsedUntil = System.nanoTime();

    /**
     * Shows a fresh server engine the client's hello and answers with the engine's cookie, which from
     * now on proves this address.
     *
     * @param fresh    a new server engine of the context that will serve the handshake, used only here
     * @param datagram the client's datagram, starting with its ClientHello
     * @return the HelloVerifyRequest to send, or {@code null} if the engine gave no cookie (a hello
     *         it refuses outright): then the caller's stateless cookie answers
     */
    ByteBuffer challenge(Supplier<SSLEngine> fresh, ByteBuffer datagram, HelloVerifier.Hello hello, InetSocketAddress from) {
        long began = threadTime();
        List<ByteBuffer> answers = new ArrayList<>();
        try {
            DtlsPeer peer = new DtlsPeer(fresh.get(), answers::add);
            peer.begin();
            peer.onDatagram(HelloVerifier.initialHello(datagram, hello));
        } catch (IOException e) {
            return null; // the engine of the handshake will refuse it too, once the address is proven
        } finally {
            charge(threadTime() - began);
        }
        if (answers.size() != 1 || !DtlsRecords.isHelloVerifyRequest(answers.get(0))) {
            return null;
        }
        byte[] cookie = cookieOf(answers.get(0));
        synchronized (this) {
            Binding binding = new Binding(from, ByteBuffer.wrap(cookie));
            handedOut.remove(binding); // made again: now the newest
            handedOut.put(binding, System.nanoTime());
        }
        return HelloVerifier.helloVerifyRequest(hello, cookie);
    }

    /**
     * @return whether one more engine cookie may be made now; what it takes is charged when it is
     *         made (those already waiting, {@link #BURST} at most, are not refused)
     */
    synchronized boolean mayMake() {
        return budgetUsedUntil - System.nanoTime() <= 0;
    }

    private synchronized void charge(long tookNanos) {
        long earliest = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
        if (budgetUsedUntil - earliest < 0) {
            budgetUsedUntil = earliest; // unspent budget accrues for a window at most
        }
        budgetUsedUntil += tookNanos * SHARE;
    }

    /** @return the calling thread's CPU time in nanoseconds, or the clock where the JVM does not measure it */
    private static long threadTime() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** @return whether the hello echoes an engine cookie handed out to this address and port */
    synchronized boolean isProven(ByteBuffer datagram, HelloVerifier.Hello hello, InetSocketAddress from) {
        if (hello.cookieLength() == 0) {
            return false;
        }
        Long madeAt = handedOut.get(new Binding(from, ByteBuffer.wrap(HelloVerifier.cookie(datagram, hello))));
        return madeAt != null && System.nanoTime() - madeAt < TimeUnit.MILLISECONDS.toNanos(LIFETIME_MILLIS);
    }

    /** @return the cookie of a HelloVerifyRequest datagram */
    private static byte[] cookieOf(ByteBuffer helloVerifyRequest) {
        int body = helloVerifyRequest.position() + DtlsRecords.HEADER + DtlsRecords.HANDSHAKE_HEADER;
        byte[] cookie = new byte[helloVerifyRequest.get(body + 2) & 0xff]; // after server_version
        helloVerifyRequest.get(body + 3, cookie);
        return cookie;
    }
}
