package dev.securenet.internal.net;

import dev.securenet.EndpointObserver;
import dev.securenet.HandshakeObserver;
import dev.securenet.SecureConnectionException;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls a user's {@link EndpointObserver} so that it can never break a connection: what it throws
 * is logged at DEBUG and ignored, and each handshake's outcome and each connection's close is
 * reported exactly once.
 */
public final class Observation {

    private static final System.Logger LOG = System.getLogger(Observation.class.getName());

    /** Reports nothing. */
    public static final Observation NONE = new Observation(EndpointObserver.NONE);

    private final EndpointObserver observer;

    private Observation(EndpointObserver observer) {
        this.observer = observer;
    }

    /** @return reporting to {@code observer} */
    public static Observation of(EndpointObserver observer) {
        return observer == EndpointObserver.NONE ? NONE : new Observation(observer);
    }

    /** One handshake's report: {@link #succeeded} or {@link #failed}, whichever comes first, once. */
    public static final class Handshake {

        private final HandshakeObserver observer;
        private final AtomicBoolean reported = new AtomicBoolean();

        private Handshake(HandshakeObserver observer) {
            this.observer = observer;
        }

        public void succeeded(String protocol) {
            if (reported.compareAndSet(false, true)) {
                guard(() -> observer.succeeded(protocol));
            }
        }

        public void failed(SecureConnectionException failure) {
            if (reported.compareAndSet(false, true)) {
                guard(() -> observer.failed(failure));
            }
        }
    }

    /** A handshake begins. */
    public Handshake handshakeStarted() {
        if (this == NONE) {
            return new Handshake(HandshakeObserver.NONE);
        }
        HandshakeObserver started = null;
        try {
            started = observer.handshakeStarted();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "an EndpointObserver threw; ignored: " + e, e);
        }
        return new Handshake(started == null ? HandshakeObserver.NONE : started);
    }

    /**
     * A connection is established.
     *
     * @return what reports its close, once
     */
    public Runnable connectionOpened() {
        if (this == NONE) {
            return () -> { };
        }
        guard(observer::connectionOpened);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                guard(observer::connectionClosed);
            }
        };
    }

    public void bytesReceived(long count) {
        if (count > 0 && this != NONE) {
            guard(() -> observer.bytesReceived(count));
        }
    }

    public void bytesSent(long count) {
        if (count > 0 && this != NONE) {
            guard(() -> observer.bytesSent(count));
        }
    }

    public void cookieSent() {
        if (this != NONE) {
            guard(observer::cookieSent);
        }
    }

    /** @return whether anything is reported at all (streams need no counting otherwise) */
    public boolean isActive() {
        return this != NONE;
    }

    private static void guard(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "an EndpointObserver threw; ignored: " + e, e);
        }
    }
}
