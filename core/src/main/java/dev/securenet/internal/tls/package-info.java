/**
 * The TLS engine behind {@link dev.securenet.TcpSocket} and {@link dev.securenet.TcpAcceptor}: JSSE
 * today, behind {@link dev.securenet.internal.tls.TlsEngine} so another provider can plug in. Not API.
 */
package dev.securenet.internal.tls;
