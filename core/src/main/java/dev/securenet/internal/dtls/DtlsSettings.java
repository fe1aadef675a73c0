package dev.securenet.internal.dtls;

import java.time.Duration;

/**
 * The datagram-specific settings of a DTLS endpoint.
 *
 * @param mtu                   the largest datagram payload we send (and, because the JDK's engine
 *                              applies it both ways, the largest record we accept)
 * @param retransmissionTimeout the first retransmission timer of a handshake flight; it doubles on
 *                              each expiry up to {@link #MAX_RETRANSMISSION_TIMEOUT} (RFC 6347 §4.2.4.1)
 * @param handshakeTimeout      the bound on the whole handshake
 */
public record DtlsSettings(int mtu, Duration retransmissionTimeout, Duration handshakeTimeout) {

    /** RFC 6347's ceiling for the doubling timer. */
    public static final Duration MAX_RETRANSMISSION_TIMEOUT = Duration.ofSeconds(60);

    /** Checks the values. */
    public DtlsSettings {
        if (mtu < 256 || mtu > 65_507) {
            throw new IllegalArgumentException("the MTU must be between 256 and 65507 bytes, not " + mtu);
        }
        if (retransmissionTimeout.isNegative() || retransmissionTimeout.isZero()) {
            throw new IllegalArgumentException("the retransmission timeout must be positive");
        }
    }

    Duration next(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(MAX_RETRANSMISSION_TIMEOUT) > 0 ? MAX_RETRANSMISSION_TIMEOUT : doubled;
    }

    /**
     * @param cipherSuite the negotiated suite (AEAD only, by policy)
     * @return the largest message that fits in one record of one datagram
     */
    int maxPayload(String cipherSuite) {
        int overhead = cipherSuite.contains("CHACHA20") ? 16 : 8 + 16; // tag; GCM adds its explicit nonce
        return mtu - DtlsRecords.HEADER - overhead;
    }
}
