package dev.securenet.internal.dtls;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads the ClientHellos of unproven addresses and answers them (RFC 6347 §4.2.1), before any engine
 * exists: a ClientHello earns state only when it echoes a cookie given to the address and port it
 * came from (save the resumptions {@link DtlsServer} lets in at once while lightly loaded, where the
 * JVM allows it), so spoofed sources get nothing but a small HelloVerifyRequest. Normally that cookie is
 * the engine's own ({@link EngineCookies}), so clients do one cookie exchange; under a flood of
 * hellos it is this class's stateless one, an HMAC of the address, port and client random, after
 * which the engine does its own exchange too.
 *
 * <p>The HMAC secret changes every {@link #ROTATION_MILLIS}; cookies of the previous secret stay
 * valid for one more period.
 */
final class HelloVerifier {

    static final long ROTATION_MILLIS = 60_000;
    private static final int COOKIE_LENGTH = 20;

    private final SecureRandom random = new SecureRandom();
    private byte[] current = fresh();
    private byte[] previous = current;
    private long rotatedAt = System.currentTimeMillis();

    private byte[] fresh() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return secret;
    }

    /**
     * The parts of a ClientHello the exchange needs, all within its first fragment: a ClientHello
     * carrying a session ticket can exceed the MTU and arrive in several records, but what the cookie
     * covers always comes first.
     *
     * @param recordSequence      the record's epoch and sequence number
     * @param clientRandom        the client's random
     * @param sessionIdLength     the length of the session ID: a client offering to resume sends one
     * @param cookieOffset        where the cookie starts, from the start of the record
     * @param cookieLength        the cookie's length
     * @param compressionEnd      where the compression methods end (the fixed part of the hello)
     * @param whole               whether this record holds the whole hello, not its first fragment
     */
    record Hello(long recordSequence, byte[] clientRandom, int sessionIdLength, int cookieOffset, int cookieLength,
                 int compressionEnd, boolean whole) {
    }

    /**
     * @param datagram starts with a ClientHello record (see {@link DtlsRecords#isClientHello})
     * @return the parsed hello, or {@code null} if it is not a first fragment or is malformed
     */
    static Hello parse(ByteBuffer datagram) {
        int start = datagram.position();
        int recordLength = DtlsRecords.recordLength(datagram, start);
        int body = start + DtlsRecords.HEADER + DtlsRecords.HANDSHAKE_HEADER;
        int fragmentOffset = int24(datagram, start + DtlsRecords.HEADER + 6);
        int fragmentLength = int24(datagram, start + DtlsRecords.HEADER + 9);
        int end = Math.min(start + recordLength, body + fragmentLength);
        if (fragmentOffset != 0) {
            return null; // a later fragment from an address without state: the client will resend the first
        }
        int p = body + 2; // client_version
        if (p + 32 + 1 > end) {
            return null;
        }
        byte[] clientRandom = new byte[32];
        datagram.get(p, clientRandom);
        p += 32;
        int sessionIdLength = datagram.get(p) & 0xff;
        p += 1 + sessionIdLength;
        if (p + 1 > end) {
            return null;
        }
        int cookieOffset = p + 1;
        int cookieLength = datagram.get(p) & 0xff;
        p = cookieOffset + cookieLength;
        if (p + 2 > end) {
            return null;
        }
        p += 2 + (((datagram.get(p) & 0xff) << 8) | (datagram.get(p + 1) & 0xff)); // cipher_suites
        if (p + 1 > end) {
            return null;
        }
        p += 1 + (datagram.get(p) & 0xff); // compression_methods
        if (p > end) {
            return null;
        }
        boolean whole = fragmentLength == int24(datagram, start + DtlsRecords.HEADER + 1)
                && body + fragmentLength <= start + recordLength;
        return new Hello(DtlsRecords.epochAndSequence(datagram, start), clientRandom, sessionIdLength, cookieOffset - start,
                cookieLength, p - start, whole);
    }

    /** @return whether the hello echoes the stateless cookie this address was given */
    synchronized boolean isVerified(ByteBuffer datagram, Hello hello, InetSocketAddress from) {
        rotate();
        if (hello.cookieLength() != COOKIE_LENGTH) {
            return false;
        }
        byte[] cookie = cookie(datagram, hello);
        return MessageDigest.isEqual(cookie, cookie(current, from, hello))
                || MessageDigest.isEqual(cookie, cookie(previous, from, hello));
    }

    /** @return a HelloVerifyRequest datagram carrying this address's stateless cookie */
    synchronized ByteBuffer challenge(Hello hello, InetSocketAddress from) {
        rotate();
        return helloVerifyRequest(hello, cookie(current, from, hello));
    }

    /** @return the cookie a hello echoes (empty if none) */
    static byte[] cookie(ByteBuffer datagram, Hello hello) {
        byte[] cookie = new byte[hello.cookieLength()];
        datagram.get(datagram.position() + hello.cookieOffset(), cookie);
        return cookie;
    }

    /** @return a HelloVerifyRequest datagram answering this hello with this cookie */
    static ByteBuffer helloVerifyRequest(Hello hello, byte[] cookie) {
        int bodyLength = 2 + 1 + cookie.length;
        ByteBuffer out = ByteBuffer.allocate(DtlsRecords.HEADER + DtlsRecords.HANDSHAKE_HEADER + bodyLength);
        // RFC 6347: version DTLS 1.0 in HelloVerifyRequest; record sequence echoes the ClientHello's
        out.put(DtlsRecords.HANDSHAKE).put((byte) 0xfe).put((byte) 0xff).putShort((short) 0);
        putInt48(out, hello.recordSequence());
        out.putShort((short) (DtlsRecords.HANDSHAKE_HEADER + bodyLength));
        out.put(DtlsRecords.HELLO_VERIFY_REQUEST);
        putInt24(out, bodyLength);
        out.putShort((short) 0); // message_seq
        putInt24(out, 0);
        putInt24(out, bodyLength);
        out.put((byte) 0xfe).put((byte) 0xff).put((byte) cookie.length).put(cookie);
        return out.flip();
    }

    /**
     * The JDK's engine insists on doing its own cookie exchange and ignores a first ClientHello with
     * message_seq 1. So a fresh engine is first shown this synthesized initial hello (message_seq 0,
     * no cookie, no extensions, the previous record number), and its HelloVerifyRequest is discarded.
     * The engine's cookie covers only the fields copied here (version, random, session_id, suites,
     * compression), which a client keeps in its next hello: if that hello echoes the engine's cookie
     * (see {@link EngineCookies}) the engine goes on to its ServerHello, otherwise it answers with a
     * HelloVerifyRequest of its own.
     *
     * @return the synthesized initial ClientHello record
     */
    static ByteBuffer initialHello(ByteBuffer datagram, Hello hello) {
        int start = datagram.position();
        byte[] record = new byte[hello.compressionEnd()];
        datagram.get(start, record);
        int body = DtlsRecords.HEADER + DtlsRecords.HANDSHAKE_HEADER;
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(record, body, hello.cookieOffset() - 1 - body); // version, random, session_id
        message.write(0); // empty cookie
        int afterCookie = hello.cookieOffset() + hello.cookieLength();
        message.write(record, afterCookie, record.length - afterCookie); // cipher suites, compression
        byte[] bodyBytes = message.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(DtlsRecords.HEADER + DtlsRecords.HANDSHAKE_HEADER + bodyBytes.length);
        out.put(record, 0, 5); // type, version, epoch 0
        putInt48(out, Math.max(0, hello.recordSequence() - 1));
        out.putShort((short) (DtlsRecords.HANDSHAKE_HEADER + bodyBytes.length));
        out.put(DtlsRecords.CLIENT_HELLO);
        putInt24(out, bodyBytes.length);
        out.putShort((short) 0);
        putInt24(out, 0);
        putInt24(out, bodyBytes.length);
        out.put(bodyBytes);
        return out.flip();
    }

    private void rotate() {
        long now = System.currentTimeMillis();
        if (now - rotatedAt >= ROTATION_MILLIS) {
            previous = current;
            current = fresh();
            rotatedAt = now;
        }
    }

    private static byte[] cookie(byte[] secret, InetSocketAddress from, Hello hello) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(from.getAddress().getAddress());
            mac.update((byte) (from.getPort() >>> 8));
            mac.update((byte) from.getPort());
            mac.update(hello.clientRandom());
            return Arrays.copyOf(mac.doFinal(), COOKIE_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static int int24(ByteBuffer buffer, int offset) {
        return ((buffer.get(offset) & 0xff) << 16) | ((buffer.get(offset + 1) & 0xff) << 8) | (buffer.get(offset + 2) & 0xff);
    }

    private static void putInt24(ByteBuffer out, int value) {
        out.put((byte) (value >>> 16)).put((byte) (value >>> 8)).put((byte) value);
    }

    private static void putInt48(ByteBuffer out, long value) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.put((byte) (value >>> shift));
        }
    }
}
