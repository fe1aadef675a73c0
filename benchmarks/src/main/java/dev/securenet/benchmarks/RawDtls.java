package dev.securenet.benchmarks;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * DTLS 1.2 with nothing but the JDK's {@link SSLEngine}: the loops every DTLS application over
 * JSSE has to write, and no more (no cookie of its own, no limits, no replay window beyond the
 * engine's). The baseline for securenet's {@code UdpSocket} and {@code UdpAcceptor}.
 */
final class RawDtls {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private RawDtls() {
    }

    /** A client association over a connected datagram socket. */
    static final class Client implements DtlsConnection {
        private final DatagramSocket socket;
        private final SSLEngine engine;
        private final long started = System.currentTimeMillis();
        private final byte[] buffer = new byte[65_535];
        private byte[] pending;

        Client(SSLContext context, String host, int port) throws IOException {
            socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            engine = context.createSSLEngine(host, port);
            engine.setUseClientMode(true);
            engine.setSSLParameters(Fixture.rawParameters(context, true, host));
            try {
                handshake();
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        private void handshake() throws IOException {
            engine.beginHandshake();
            long deadline = System.nanoTime() + HANDSHAKE_TIMEOUT.toNanos();
            socket.setSoTimeout(1000);
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> send(EMPTY);
                    case NEED_TASK -> runTasks(engine);
                    case NEED_UNWRAP_AGAIN -> engine.unwrap(EMPTY, ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()));
                    case NEED_UNWRAP -> {
                        if (System.nanoTime() > deadline) {
                            throw new SocketTimeoutException("DTLS handshake");
                        }
                        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                        try {
                            socket.receive(packet);
                        } catch (SocketTimeoutException e) {
                            send(EMPTY); // asked to wrap while waiting, the engine retransmits its flight
                            continue;
                        }
                        pending = feed(engine, ByteBuffer.wrap(buffer, 0, packet.getLength()), null, this::sendQuietly);
                    }
                    default -> {
                        return;
                    }
                }
            }
        }

        private void sendQuietly(ByteBuffer datagram) {
            try {
                socket.send(new DatagramPacket(datagram.array(), datagram.arrayOffset() + datagram.position(), datagram.remaining()));
            } catch (IOException e) {
                // lost, as datagrams are
            }
        }

        private void send(ByteBuffer message) throws IOException {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(message, out);
            out.flip();
            if (out.hasRemaining()) {
                socket.send(new DatagramPacket(out.array(), out.remaining()));
            }
        }

        @Override
        public void send(byte[] message) throws IOException {
            send(ByteBuffer.wrap(message));
        }

        @Override
        public byte[] receive(Duration timeout) throws IOException {
            if (pending != null) {
                byte[] message = pending;
                pending = null;
                return message;
            }
            socket.setSoTimeout((int) timeout.toMillis());
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                byte[] message = feed(engine, ByteBuffer.wrap(buffer, 0, packet.getLength()), null, this::sendQuietly);
                if (message != null) {
                    return message;
                }
            }
        }

        @Override
        public boolean resumed() {
            return engine.getSession().getCreationTime() < started;
        }

        @Override
        public void close() {
            try {
                engine.closeOutbound();
                send(EMPTY); // close_notify
            } catch (IOException e) {
                // a courtesy over UDP
            } finally {
                socket.close();
            }
        }
    }

    /**
     * A server on 127.0.0.1: one thread, one engine per source address (the engine does its own
     * cookie exchange), each application message handed to {@code handler}, whose answer (if any)
     * is sent back.
     */
    static final class Server implements AutoCloseable {
        interface Handler {
            byte[] answer(SocketAddress peer, byte[] message);
        }

        private final DatagramSocket socket;
        private volatile boolean closed;

        Server(SSLContext context, Handler handler) throws IOException {
            socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
            socket.setReceiveBufferSize(4 << 20);
            TlsServers.daemon("raw-dtls-server", () -> serve(context, handler));
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(SSLContext context, Handler handler) {
            Map<SocketAddress, SSLEngine> engines = new HashMap<>();
            byte[] buffer = new byte[65_535];
            while (!closed) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (IOException e) {
                    return;
                }
                SocketAddress from = packet.getSocketAddress();
                SSLEngine engine = engines.computeIfAbsent(from, address -> {
                    SSLEngine fresh = context.createSSLEngine();
                    fresh.setUseClientMode(false);
                    fresh.setSSLParameters(Fixture.rawParameters(context, true, null));
                    return fresh;
                });
                try {
                    feed(engine, ByteBuffer.wrap(buffer, 0, packet.getLength()), message -> {
                        byte[] answer = handler.answer(from, message);
                        if (answer != null) {
                            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                            engine.wrap(ByteBuffer.wrap(answer), out);
                            send(out.flip(), from);
                        }
                    }, datagram -> send(datagram, from));
                } catch (IOException e) {
                    engines.remove(from);
                    continue;
                }
                if (engine.isInboundDone()) {
                    engines.remove(from);
                }
            }
        }

        private void send(ByteBuffer datagram, SocketAddress to) {
            try {
                socket.send(new DatagramPacket(datagram.array(), datagram.arrayOffset() + datagram.position(), datagram.remaining(), to));
            } catch (IOException e) {
                // lost, as datagrams are
            }
        }

        @Override
        public void close() {
            closed = true;
            socket.close();
        }
    }

    /** Receives application messages while feeding records. */
    interface Messages {
        void accept(byte[] message) throws IOException;
    }

    /** Sends a datagram. */
    interface Transport {
        void send(ByteBuffer datagram);
    }

    /**
     * Unwraps each record of a datagram and does what the engine then asks (tasks, flights).
     *
     * @param messages where application messages go, or {@code null} to return the last one
     * @return the last application message when {@code messages} is {@code null}
     */
    static byte[] feed(SSLEngine engine, ByteBuffer datagram, Messages messages, Transport transport) throws IOException {
        byte[] last = null;
        while (datagram.remaining() >= 13) {
            int length = 13 + (((datagram.get(datagram.position() + 11) & 0xff) << 8) | (datagram.get(datagram.position() + 12) & 0xff));
            if (length > datagram.remaining()) {
                break;
            }
            ByteBuffer record = datagram.duplicate().limit(datagram.position() + length);
            datagram.position(datagram.position() + length);
            ByteBuffer plain = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            SSLEngineResult result;
            try {
                result = engine.unwrap(record, plain);
            } catch (SSLException e) {
                if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                    continue; // a bad record after the handshake is dropped
                }
                throw e;
            }
            if (plain.position() > 0) {
                byte[] message = new byte[plain.position()];
                plain.flip().get(message);
                if (messages == null) {
                    last = message;
                } else {
                    messages.accept(message);
                }
            }
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                break;
            }
            drive(engine, transport);
        }
        return last;
    }

    private static void drive(SSLEngine engine, Transport transport) throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks(engine);
                case NEED_WRAP -> {
                    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                    SSLEngineResult result = engine.wrap(EMPTY, out);
                    if (out.position() > 0) {
                        transport.send(out.flip());
                    } else if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        return; // nothing to send yet
                    }
                }
                case NEED_UNWRAP_AGAIN -> engine.unwrap(EMPTY, ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()));
                default -> {
                    return;
                }
            }
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }
}
