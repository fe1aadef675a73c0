package dev.securenet;

import java.io.IOException;
import java.util.Objects;

/**
 * A secure connection could not be established: the TLS handshake failed, was refused or timed
 * out. {@link #reason()} says why, so callers can react without parsing messages; the message is
 * written for the person reading the log and says what to do.
 */
public class SecureConnectionException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why a secure connection failed. */
    public enum Reason {
        /** The peer's chain does not lead to a trusted root (or could not be validated). */
        UNTRUSTED_CERTIFICATE,
        /** The peer's certificate is valid but not for the expected host. */
        HOST_MISMATCH,
        /** A certificate in the peer's chain has expired. */
        CERTIFICATE_EXPIRED,
        /** A certificate in the peer's chain is not valid yet. */
        CERTIFICATE_NOT_YET_VALID,
        /** The custom {@link CertificateVerifier} returned {@code false} or threw. */
        VERIFIER_REJECTED,
        /** The peer required a certificate from us, or we from it, and none was presented. */
        CERTIFICATE_REQUIRED,
        /** The peer refused the certificate this endpoint presented. */
        PEER_REJECTED_CERTIFICATE,
        /** The peer does not speak TLS 1.2 or 1.3. */
        PROTOCOL_VERSION,
        /** The peer does not speak TLS at all (for example plaintext HTTP). */
        PEER_NOT_TLS,
        /** The handshake did not complete within the configured handshake timeout. */
        HANDSHAKE_TIMEOUT,
        /** Any other handshake failure: the message and cause say more. */
        HANDSHAKE_FAILED
    }

    private final Reason reason;

    /**
     * @param reason  why the connection failed
     * @param message what happened and, where possible, what to do about it
     * @param cause   the underlying failure, may be {@code null}
     */
    public SecureConnectionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the connection failed */
    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return getClass().getName() + " [" + reason + "]: " + getMessage();
    }
}
