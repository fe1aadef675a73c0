/**
 * DTLS 1.2 over UDP on the JDK's {@code SSLEngine}: record parsing, replay protection, the server's
 * address-bound cookie exchange and peer demultiplexing, handshake retransmission. Not API.
 */
package dev.securenet.internal.dtls;
