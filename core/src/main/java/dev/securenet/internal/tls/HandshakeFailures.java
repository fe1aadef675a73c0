package dev.securenet.internal.tls;

import dev.securenet.SecureConnectionException;
import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.internal.trust.CertificateFailure;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/**
 * Turns whatever JSSE threw during a handshake into a {@link SecureConnectionException} with a
 * {@link Reason}. Certificate decisions arrive already classified (as {@link CertificateFailure});
 * the rest is recognised from alerts and JSSE's stable messages, and falls back to
 * {@link Reason#HANDSHAKE_FAILED} with the original message.
 */
public final class HandshakeFailures {

    private HandshakeFailures() {
    }

    /**
     * @param failure  what the handshake threw
     * @param timedOut whether the handshake deadline closed the socket
     * @param peer     the peer, for the message (e.g. "server localhost:443")
     * @param timeoutMillis the handshake timeout, for the message
     * @param hasCertificate whether this endpoint has a certificate to present: a peer's certificate
     *                       alert to one that has none means the peer wanted one
     * @return the classified exception
     */
    public static SecureConnectionException classify(IOException failure, boolean timedOut, String peer, long timeoutMillis,
                                                     boolean hasCertificate) {
        if (failure instanceof SecureConnectionException classified) {
            return classified;
        }
        if (timedOut || failure instanceof SocketTimeoutException) {
            return new SecureConnectionException(Reason.HANDSHAKE_TIMEOUT, "The handshake with " + peer
                    + " did not complete within " + timeoutMillis + " ms.", failure);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateFailure certificate) {
                return new SecureConnectionException(certificate.reason(),
                        certificate.getMessage() + " (" + peer + ")", failure);
            }
        }
        String message = String.valueOf(failure.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("unsupported or unrecognized ssl message") || lower.contains("plaintext connection")
                || lower.contains("unable to parse tls packet header") || lower.contains("wrong_version_number")
                || lower.contains("http_request")) {
            return new SecureConnectionException(Reason.PEER_NOT_TLS, "The " + peer
                    + " does not speak TLS (its first bytes are not a TLS record; is it a plaintext service?).", failure);
        }
        if (lower.contains("protocol_version") || lower.contains("protocol version")
                || lower.contains("no appropriate protocol") || lower.contains("requested protocol")
                || lower.contains("unsupported_protocol")) {
            return new SecureConnectionException(Reason.PROTOCOL_VERSION, "The " + peer
                    + " and this endpoint share no TLS version: securenet speaks TLS 1.3 and 1.2 only (" + message + ").", failure);
        }
        if (lower.contains("certificate_required") || lower.contains("empty client certificate chain")
                || lower.contains("empty server certificate chain") || lower.contains("peer_did_not_return_a_certificate")) {
            return new SecureConnectionException(Reason.CERTIFICATE_REQUIRED, "A certificate was required but not presented ("
                    + peer + ": " + message + "). Give the client usePrivateKey(..) and useCertificates(..).", failure);
        }
        if (receivedCertificateAlert(lower)) {
            if (!hasCertificate) {
                // some stacks answer a missing client certificate with bad_certificate (RFC 5246), not
                // certificate_required (a TLS 1.3 alert): this endpoint sent none, so that is what it means
                return new SecureConnectionException(Reason.CERTIFICATE_REQUIRED, "The " + peer + " requires a client"
                        + " certificate and this endpoint has none (" + message + "). Give it usePrivateKey(..) and"
                        + " useCertificates(..).", failure);
            }
            return new SecureConnectionException(Reason.PEER_REJECTED_CERTIFICATE, "The " + peer
                    + " refused this endpoint's certificate (" + message + ").", failure);
        }
        if (lower.contains("no_common_signature_algorithms")) {
            return new SecureConnectionException(Reason.HANDSHAKE_FAILED, "The " + peer + " offers no signature"
                    + " algorithm this endpoint signs or verifies with (" + message + ").", failure);
        }
        if (failure instanceof EOFException || failure instanceof SocketException
                || lower.contains("remote host terminated the handshake")) {
            return new SecureConnectionException(Reason.HANDSHAKE_FAILED, "The " + peer
                    + " closed the connection during the handshake (" + message + ").", failure);
        }
        return new SecureConnectionException(Reason.HANDSHAKE_FAILED, "The handshake with " + peer + " failed: "
                + message, failure);
    }

    private static final String[] CERTIFICATE_ALERTS = {
            "bad_certificate", "unknown_ca", "certificate_unknown", "certificate_expired", "certificate_revoked",
            "unsupported_certificate", "access_denied"};

    /** The JDK says "Received fatal alert: unknown_ca"; BoringSSL (Conscrypt) "TLSV1_ALERT_UNKNOWN_CA". */
    private static boolean receivedCertificateAlert(String lower) {
        for (String alert : CERTIFICATE_ALERTS) {
            if (lower.contains("received fatal alert: " + alert) || lower.contains("alert_" + alert)) {
                return true;
            }
        }
        return false;
    }
}
