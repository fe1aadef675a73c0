package dev.securenet.internal.dtls;

import java.nio.ByteBuffer;

/**
 * Reads DTLS record headers (RFC 6347 §4.1): type(1) version(2) epoch(2) sequence(6) length(2).
 * Only what the engine cannot tell us: where records start and end, and their numbers.
 */
final class DtlsRecords {

    static final int HEADER = 13;
    /** A handshake message's header: type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3). */
    static final int HANDSHAKE_HEADER = 12;
    static final byte CHANGE_CIPHER_SPEC = 20;
    static final byte ALERT = 21;
    static final byte HANDSHAKE = 22;
    static final byte APPLICATION_DATA = 23;
    static final byte CLIENT_HELLO = 1;
    static final byte SERVER_HELLO = 2;
    static final byte HELLO_VERIFY_REQUEST = 3;
    static final byte NEW_SESSION_TICKET = 4;

    private DtlsRecords() {
    }

    /** @return the length of the whole record at {@code offset} (header included), or -1 if truncated */
    static int recordLength(ByteBuffer datagram, int offset) {
        if (datagram.limit() - offset < HEADER) {
            return -1;
        }
        int length = HEADER + (((datagram.get(offset + 11) & 0xff) << 8) | (datagram.get(offset + 12) & 0xff));
        return datagram.limit() - offset < length ? -1 : length;
    }

    static byte type(ByteBuffer datagram, int offset) {
        return datagram.get(offset);
    }

    /** @return epoch (16 bits) and sequence number (48 bits) as one number, as SSLEngineResult reports it */
    static long epochAndSequence(ByteBuffer datagram, int offset) {
        long value = 0;
        for (int i = 3; i < 11; i++) {
            value = (value << 8) | (datagram.get(offset + i) & 0xff);
        }
        return value;
    }

    /** @return whether the datagram starts with an epoch-0 handshake record holding a ClientHello */
    static boolean isClientHello(ByteBuffer datagram) {
        int offset = datagram.position();
        return recordLength(datagram, offset) > HEADER + HANDSHAKE_HEADER
                && datagram.get(offset) == HANDSHAKE
                && datagram.get(offset + 3) == 0 && datagram.get(offset + 4) == 0
                && datagram.get(offset + HEADER) == CLIENT_HELLO;
    }

    /** @return whether the datagram starts with a record holding a HelloVerifyRequest */
    static boolean isHelloVerifyRequest(ByteBuffer datagram) {
        int offset = datagram.position();
        return recordLength(datagram, offset) > HEADER
                && datagram.get(offset) == HANDSHAKE
                && datagram.get(offset + HEADER) == HELLO_VERIFY_REQUEST;
    }

    /**
     * @return whether the datagram holds application data records only, all of them whole and none
     *         of epoch 0: what an established association decrypts without any handshake work
     */
    static boolean isApplicationDataOnly(ByteBuffer datagram) {
        int offset = datagram.position();
        if (offset == datagram.limit()) {
            return false;
        }
        while (offset < datagram.limit()) {
            int length = recordLength(datagram, offset);
            if (length < 0 || datagram.get(offset) != APPLICATION_DATA
                    || (datagram.get(offset + 3) == 0 && datagram.get(offset + 4) == 0)) {
                return false;
            }
            offset += length;
        }
        return true;
    }

    /**
     * @return whether the datagram belongs to a handshake rather than to established traffic: it
     *         starts with an epoch-0 record, a handshake record (a Finished is encrypted) or a
     *         ChangeCipherSpec
     */
    static boolean isHandshakeTraffic(ByteBuffer datagram) {
        int offset = datagram.position();
        if (recordLength(datagram, offset) < 0) {
            return false;
        }
        byte type = datagram.get(offset);
        boolean epochZero = datagram.get(offset + 3) == 0 && datagram.get(offset + 4) == 0;
        return epochZero || type == HANDSHAKE || type == CHANGE_CIPHER_SPEC;
    }
}
