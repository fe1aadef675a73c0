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
 * <p>This is the API of the {@code dev.securenet} module (artifact {@code securenet-core}), which
 * needs only the JDK and BouncyCastle; the Spring Boot auto-configuration is a separate artifact,
 * {@code securenet-spring-boot-autoconfigure}, built on this API alone.
 */
package dev.securenet;
