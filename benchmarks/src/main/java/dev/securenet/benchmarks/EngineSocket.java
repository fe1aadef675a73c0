package dev.securenet.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;

/**
 * The alternative design securenet did not take: a blocking {@link SocketChannel} driven through
 * an {@link SSLEngine} with our own buffers. Just enough to write bulk data and read one byte.
 */
final class EngineSocket implements AutoCloseable {

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ByteBuffer netOut;
    private ByteBuffer netIn;
    private final ByteBuffer appIn;

    EngineSocket(SSLContext context, int port) throws IOException {
        channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        engine = context.createSSLEngine("localhost", port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        int packet = engine.getSession().getPacketBufferSize();
        netOut = ByteBuffer.allocate(packet);
        netIn = ByteBuffer.allocate(packet);
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        handshake();
    }

    private void handshake() throws IOException {
        engine.beginHandshake();
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_WRAP -> {
                    netOut.clear();
                    engine.wrap(ByteBuffer.allocate(0), netOut);
                    flush();
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapSome();
                case NEED_TASK -> {
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run();
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    private void flush() throws IOException {
        netOut.flip();
        while (netOut.hasRemaining()) {
            channel.write(netOut);
        }
    }

    private SSLEngineResult unwrapSome() throws IOException {
        netIn.flip();
        SSLEngineResult result = engine.unwrap(netIn, appIn);
        netIn.compact();
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            if (!netIn.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() * 2);
                netIn.flip();
                bigger.put(netIn);
                netIn = bigger;
            }
            if (channel.read(netIn) < 0) {
                throw new EOFException("the server closed the connection");
            }
        }
        return result;
    }

    void write(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            netOut.clear();
            engine.wrap(data, netOut);
            flush();
        }
    }

    int readByte() throws IOException {
        while (appIn.position() == 0) {
            unwrapSome();
        }
        appIn.flip();
        int value = appIn.get() & 0xff;
        appIn.compact();
        return value;
    }

    @Override
    public void close() throws IOException {
        engine.closeOutbound();
        channel.close();
    }
}
