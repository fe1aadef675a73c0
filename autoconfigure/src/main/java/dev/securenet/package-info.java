/**
 * Secure-by-default networking, after the C++ proposal P1861R0 "Secure Connections in Networking TS".
 *
 * <p>Every endpoint carries {@link dev.securenet.SecurityProperties}: a {@link dev.securenet.TcpSocket}
 * speaks TLS 1.3 or 1.2 and a {@link dev.securenet.TcpAcceptor} serves TLS unless the program calls
 * {@link dev.securenet.SecurityProperties#disableSecurity()}. Peers are verified against the system's
 * trusted roots and, for clients, against the expected host; a
 * {@link dev.securenet.CertificateVerifier} replaces that evaluation. A failed handshake is a
 * {@link dev.securenet.SecureConnectionException} whose {@link dev.securenet.SecureConnectionException.Reason}
 * says what went wrong.
 *
 * <p>This package has no dependency on Spring; the auto-configuration lives in
 * {@code dev.securenet.autoconfigure}.
 */
package dev.securenet;
