package dev.securenet.internal.dtls;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds back a server's ChangeCipherSpec and Finished until its whole NewSessionTicket has reached
 * the client's engine. When the ticket, or one fragment of it, is lost (the engine shrinks its
 * records after retransmissions, so tickets do get fragmented), the JDK 17 engine verifies the
 * Finished without it and fails the handshake ("The Finished message cannot be verified"); later
 * JDKs wait for the gap to fill (JDK-8367133). Held records are released once the ticket arrives, which a
 * retransmitted server flight brings. Harmless where the engine already orders them.
 *
 * <p>A NewSessionTicket before any ServerHello of this handshake is dropped: it is a stray from an
 * earlier association on the same address (a late retransmission, a reused NAT port), which the
 * JDK engine would take for a protocol violation and end the handshake; if it was only early, the
 * server's retransmission brings it again after its ServerHello.
 */
final class TicketOrdering {

    private static final int SESSION_TICKET_EXTENSION = 35;
    /** A real server's ChangeCipherSpec and Finished, retransmitted a few times: never more. */
    private static final int MAX_HELD = 16;

    private final List<ByteBuffer> held = new ArrayList<>();
    private boolean serverHelloSeen;
    private boolean ticketExpected;
    private boolean ticketSeen;
    private Fragments ticketFragments = new Fragments();

    /**
     * Looks at one record about to go to the engine.
     *
     * @return whether it is held back (the caller must not pass it on)
     */
    boolean hold(ByteBuffer datagram, int offset, int length) {
        byte type = DtlsRecords.type(datagram, offset);
        long epoch = DtlsRecords.epochAndSequence(datagram, offset) >>> 48;
        if (type == DtlsRecords.HANDSHAKE && epoch == 0 && length > DtlsRecords.HEADER) {
            byte message = datagram.get(offset + DtlsRecords.HEADER);
            if (message == DtlsRecords.SERVER_HELLO) {
                serverHelloSeen = true;
                ticketExpected = announcesTicket(datagram, offset, length);
                ticketSeen = false;
                ticketFragments = new Fragments();
            } else if (message == DtlsRecords.NEW_SESSION_TICKET) {
                if (!serverHelloSeen) {
                    return true; // dropped, see above
                }
                ticketSeen = ticketFragments.add(datagram, offset, length);
            }
            return false;
        }
        boolean finishing = type == DtlsRecords.CHANGE_CIPHER_SPEC || (type == DtlsRecords.HANDSHAKE && epoch > 0);
        if (finishing && ticketExpected && !ticketSeen) {
            if (held.size() >= MAX_HELD) {
                return true; // dropped: the server's retransmission brings it again
            }
            ByteBuffer copy = ByteBuffer.allocate(length);
            copy.put(datagram.duplicate().limit(offset + length).position(offset)).flip();
            held.add(copy);
            return true;
        }
        return false;
    }

    /** @return the held records, in order, once the ticket has been seen (then forgotten) */
    List<ByteBuffer> release() {
        if (!ticketSeen || held.isEmpty()) {
            return List.of();
        }
        List<ByteBuffer> released = List.copyOf(held);
        held.clear();
        return released;
    }

    /** Which bytes of one handshake message have arrived, across its fragments. */
    private static final class Fragments {

        private final java.util.BitSet received = new java.util.BitSet();

        /** @return whether the message is complete with this fragment */
        boolean add(ByteBuffer datagram, int offset, int length) {
            int header = offset + DtlsRecords.HEADER;
            if (length < DtlsRecords.HEADER + DtlsRecords.HANDSHAKE_HEADER) {
                return false;
            }
            int messageLength = int24(datagram, header + 1);
            int fragmentOffset = int24(datagram, header + 6);
            int fragmentLength = int24(datagram, header + 9);
            if (fragmentOffset + fragmentLength > messageLength) {
                return false;
            }
            received.set(fragmentOffset, fragmentOffset + fragmentLength);
            return received.nextClearBit(0) >= messageLength;
        }

        private static int int24(ByteBuffer buffer, int index) {
            return ((buffer.get(index) & 0xff) << 16) | ((buffer.get(index + 1) & 0xff) << 8) | (buffer.get(index + 2) & 0xff);
        }
    }

    /** Whether an unfragmented ServerHello carries the session_ticket extension (RFC 5077). */
    private static boolean announcesTicket(ByteBuffer datagram, int offset, int length) {
        int end = offset + length;
        int p = offset + DtlsRecords.HEADER + DtlsRecords.HANDSHAKE_HEADER + 2 + 32; // server_version, random
        if (p >= end) {
            return false;
        }
        p += 1 + (datagram.get(p) & 0xff) + 2 + 1; // session_id, cipher_suite, compression_method
        if (p + 2 > end) {
            return false;
        }
        int extensionsEnd = Math.min(end, p + 2 + (((datagram.get(p) & 0xff) << 8) | (datagram.get(p + 1) & 0xff)));
        for (p += 2; p + 4 <= extensionsEnd; ) {
            int extension = ((datagram.get(p) & 0xff) << 8) | (datagram.get(p + 1) & 0xff);
            if (extension == SESSION_TICKET_EXTENSION) {
                return true;
            }
            p += 4 + (((datagram.get(p + 2) & 0xff) << 8) | (datagram.get(p + 3) & 0xff));
        }
        return false;
    }
}
