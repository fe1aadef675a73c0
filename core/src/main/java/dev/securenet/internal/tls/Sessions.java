package dev.securenet.internal.tls;

import javax.net.ssl.SSLSession;

/** What JSSE does not say outright about a session. */
public final class Sessions {

    private Sessions() {
    }

    /**
     * A resumed session (TLS 1.2 by session ID or ticket, TLS 1.3 by PSK) keeps the creation time of
     * the full handshake that made it, on both sides, with the JDK's engines (checked on 17 and 25);
     * a full handshake makes its session after it began.
     *
     * @param handshakeStarted when this connection's handshake began ({@link System#currentTimeMillis()})
     * @return whether {@code session} was resumed rather than made by this handshake
     */
    public static boolean resumed(SSLSession session, long handshakeStarted) {
        return session.getCreationTime() < handshakeStarted;
    }

    /**
     * {@link #resumed} for a provider whose session times are whole seconds (BoringSSL's): a
     * session from an earlier second was resumed; one from the second the handshake began cannot
     * be told apart from a new one, and counts as new.
     *
     * @param handshakeStarted when this connection's handshake began ({@link System#currentTimeMillis()})
     * @return whether {@code session} was certainly resumed
     */
    static boolean resumedBySecondClock(SSLSession session, long handshakeStarted) {
        return session.getCreationTime() < handshakeStarted - handshakeStarted % 1000;
    }
}
