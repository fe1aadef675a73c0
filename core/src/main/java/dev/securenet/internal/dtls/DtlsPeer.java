package dev.securenet.internal.dtls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * One DTLS association over the JDK's {@link SSLEngine}, fed datagrams by whoever owns the socket.
 * It adds what the engine leaves to the application: one record per unwrap (a datagram may carry
 * several), the replay window, retransmission when the timer fires, and resending our final flight
 * when the peer shows it did not arrive (the engine does not, once it has finished).
 */
final class DtlsPeer {

    /** Sends one datagram to the peer. */
    @FunctionalInterface
    interface Transport {
        void send(ByteBuffer datagram) throws IOException;
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** How often a finished peer resends its final flight before it stops answering old flights. */
    private static final int FINAL_FLIGHT_RESENDS = 8;

    private final SSLEngine engine;
    private final Transport transport;
    private final ReplayWindow window = new ReplayWindow();
    private final TicketOrdering ticketOrdering;
    private final List<ByteBuffer> flight = new ArrayList<>();
    private boolean receivedSinceLastSend = true;
    private boolean finished;
    /** Whether our flight ended the handshake, so only we can tell that it was lost. */
    private boolean sentLastFlight;
    private boolean inboundClosed;
    private int finalFlightResends;
    /** Reused for every record: what the engine decrypts is copied out as each message's own bytes. */
    private ByteBuffer plain;
    /** Reused for every message sent: the datagram is sent before {@link #send} returns. */
    private ByteBuffer sealed;

    DtlsPeer(SSLEngine engine, Transport transport) {
        this.engine = engine;
        this.transport = transport;
        this.ticketOrdering = engine.getUseClientMode() ? new TicketOrdering() : null;
    }

    /** Starts the handshake: a client sends its ClientHello. */
    synchronized void begin() throws IOException {
        engine.beginHandshake();
        progress(new ArrayList<>());
    }

    /**
     * Feeds one received datagram.
     *
     * @return the application messages it carried, in order
     * @throws SSLException if the handshake failed (fatal for this peer)
     */
    synchronized List<byte[]> onDatagram(ByteBuffer datagram) throws IOException {
        List<byte[]> messages = new ArrayList<>();
        boolean oldFlight = false;
        int offset = datagram.position();
        int packetLimit = engine.getSession().getPacketBufferSize();
        while (offset < datagram.limit()) {
            int length = DtlsRecords.recordLength(datagram, offset);
            if (length < 0) {
                break; // truncated: nothing after this can be framed
            }
            byte type = DtlsRecords.type(datagram, offset);
            long number = DtlsRecords.epochAndSequence(datagram, offset);
            boolean protectedRecord = type == DtlsRecords.APPLICATION_DATA || type == DtlsRecords.ALERT;
            // the engine closes its inbound side on a record over its packet size: skip such records instead
            boolean held = !finished && ticketOrdering != null && ticketOrdering.hold(datagram, offset, length);
            if (!held && length <= packetLimit && (!protectedRecord || window.isFresh(number))) {
                oldFlight |= finished && sentLastFlight
                        && (type == DtlsRecords.HANDSHAKE || type == DtlsRecords.CHANGE_CIPHER_SPEC);
                ByteBuffer record = datagram.duplicate().limit(offset + length).position(offset);
                unwrap(record, messages, protectedRecord);
                progress(messages);
                if (ticketOrdering != null) {
                    for (ByteBuffer released : ticketOrdering.release()) {
                        unwrap(released, messages, false);
                        progress(messages);
                    }
                }
            }
            offset += length;
        }
        if (oldFlight && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
            resendFinalFlight();
        }
        return messages;
    }

    /** The retransmission timer fired: resend our last flight if we are still waiting for an answer. */
    synchronized void onTimeout() throws IOException {
        if (!finished && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP && !flight.isEmpty()) {
            // the engine resends its flight when asked to wrap while it waits for the peer
            wrap();
            progress(new ArrayList<>());
        }
    }

    /**
     * Sends one message as one record in one datagram.
     *
     * @throws IOException if it does not fit in one record
     */
    synchronized void send(ByteBuffer message, int maxPayload) throws IOException {
        int length = message.remaining();
        if (length > maxPayload) {
            throw new IOException("a " + length + "-byte message does not fit in one DTLS record of this connection "
                    + "(at most " + maxPayload + " bytes for its MTU): datagrams are never split");
        }
        sealed = reusable(sealed, engine.getSession().getPacketBufferSize());
        ByteBuffer out = sealed;
        SSLEngineResult result = engine.wrap(message, out);
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new IOException("the DTLS connection is closed");
        }
        if (result.bytesConsumed() != length) {
            // the record is not sent: a gap in record numbers is harmless in DTLS
            throw new IOException("a " + length + "-byte message does not fit in one DTLS record right now (the engine took "
                    + result.bytesConsumed() + " bytes): datagrams are never split");
        }
        transport.send(out.flip());
    }

    /**
     * After a failed handshake: sends the fatal alert the engine prepared (handshake_failure,
     * bad_certificate, ...), so that the peer gives up at once instead of retransmitting until its
     * own timeout. Best effort: UDP may lose it.
     */
    synchronized void sendFailureAlert() {
        try {
            closeOutbound(); // the engine already failed: what it sends now is its alert
        } catch (IOException | RuntimeException e) {
            // the engine has nothing more to say, or the socket is gone: the handshake failed anyway
        }
    }

    /** Sends close_notify. */
    synchronized void close() throws IOException {
        closeOutbound();
    }

    /** Closes our side and sends what the engine has left to say: close_notify, or a failure's alert. */
    private void closeOutbound() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult result = engine.wrap(EMPTY, out);
            if (out.position() > 0) {
                transport.send(out.flip());
            }
            if (result.bytesProduced() == 0) {
                break;
            }
        }
    }

    /**
     * @return whether our last flight is a HelloVerifyRequest alone: it answers one ClientHello and
     *         is never retransmitted by a timer (RFC 6347 §4.2.1), only answered again if the client
     *         resends its hello
     */
    synchronized boolean awaitsCookie() {
        return flight.size() == 1 && DtlsRecords.isHelloVerifyRequest(flight.get(0));
    }

    /** @return whether the handshake has completed */
    synchronized boolean isFinished() {
        return finished;
    }

    /** @return whether the peer sent close_notify */
    synchronized boolean isInboundClosed() {
        return inboundClosed;
    }

    SSLEngine engine() {
        return engine;
    }

    private void unwrap(ByteBuffer record, List<byte[]> messages, boolean protectedRecord) throws SSLException {
        plain = reusable(plain, engine.getSession().getApplicationBufferSize());
        SSLEngineResult result;
        try {
            result = engine.unwrap(record, plain);
        } catch (SSLException e) {
            if (finished) {
                return; // a bad record after the handshake is dropped, as DTLS drops invalid records
            }
            throw e;
        }
        afterUnwrap(result, plain, messages, protectedRecord);
    }

    private void afterUnwrap(SSLEngineResult result, ByteBuffer decrypted, List<byte[]> messages, boolean protectedRecord) {
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            inboundClosed = true;
        }
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            finished = true;
        }
        if (result.bytesConsumed() > 0) {
            receivedSinceLastSend = true;
        }
        if (protectedRecord && result.sequenceNumber() != -1 && result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
            window.accept(result.sequenceNumber()); // only now: the record was authenticated
        }
        if (decrypted.position() > 0) {
            decrypted.flip();
            byte[] message = new byte[decrypted.remaining()];
            decrypted.get(message);
            messages.add(message);
        }
    }

    /** Runs the engine until it waits for the peer or is done. */
    private void progress(List<byte[]> messages) throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run();
                    }
                }
                case NEED_WRAP -> wrap();
                case NEED_UNWRAP_AGAIN -> {
                    plain = reusable(plain, engine.getSession().getApplicationBufferSize());
                    afterUnwrap(engine.unwrap(EMPTY, plain), plain, messages, false);
                }
                default -> {
                    return;
                }
            }
        }
    }

    private void wrap() throws IOException {
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(EMPTY, out);
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            finished = true;
            sentLastFlight = true;
        }
        if (out.position() == 0) {
            return;
        }
        out.flip();
        if (receivedSinceLastSend) {
            flight.clear(); // a new flight begins: the previous one was answered
            receivedSinceLastSend = false;
        }
        flight.add(copy(out));
        transport.send(out);
    }

    private void resendFinalFlight() throws IOException {
        if (finalFlightResends++ >= FINAL_FLIGHT_RESENDS) {
            return;
        }
        for (ByteBuffer datagram : flight) {
            transport.send(datagram.duplicate());
        }
    }

    /** @return {@code buffer} cleared, or a new one if it is missing or too small */
    private static ByteBuffer reusable(ByteBuffer buffer, int size) {
        return buffer == null || buffer.capacity() < size ? ByteBuffer.allocate(size) : buffer.clear();
    }

    private static ByteBuffer copy(ByteBuffer source) {
        ByteBuffer copy = ByteBuffer.allocate(source.remaining());
        copy.put(source.duplicate()).flip();
        return copy;
    }
}
