package dev.securenet.benchmarks;

import dev.securenet.UdpSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/** A DTLS client association, securenet's or raw: what the DTLS scenarios need of either. */
interface DtlsConnection extends AutoCloseable {

    /** Opens a connection (handshake done) to a port on 127.0.0.1 for a host name. */
    @FunctionalInterface
    interface Opener {
        DtlsConnection open(String host, int port) throws Exception;
    }

    void send(byte[] message) throws IOException;

    /** @return the next message, or {@code null} after {@code timeout} */
    byte[] receive(Duration timeout) throws IOException;

    boolean resumed() throws IOException;

    @Override
    void close() throws IOException;

    static Opener securenet(Fixture fixture) {
        return (host, port) -> {
            UdpSocket socket = UdpSocket.open();
            try {
                socket.securityProperties().useTrustedCertificates(List.of(fixture.identity.certificate()));
                socket.connect(host, port);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
            return new DtlsConnection() {
                private final ByteBuffer buffer = ByteBuffer.allocate(2048);

                @Override
                public void send(byte[] message) throws IOException {
                    socket.send(ByteBuffer.wrap(message));
                }

                @Override
                public byte[] receive(Duration timeout) throws IOException {
                    try {
                        int n = socket.receive(buffer.clear(), timeout);
                        if (n < 0) {
                            throw new IOException("closed by the server");
                        }
                        byte[] message = new byte[n];
                        buffer.flip().get(message);
                        return message;
                    } catch (java.net.SocketTimeoutException e) {
                        return null;
                    }
                }

                @Override
                public boolean resumed() throws IOException {
                    return socket.isSessionResumed();
                }

                @Override
                public void close() throws IOException {
                    socket.close();
                }
            };
        };
    }

    static Opener raw(Fixture fixture) throws Exception {
        javax.net.ssl.SSLContext context = fixture.rawContext("DTLS", false);
        return (host, port) -> new RawDtls.Client(context, host, port);
    }
}
