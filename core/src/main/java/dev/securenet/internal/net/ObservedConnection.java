package dev.securenet.internal.net;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** A connection that reports its application bytes and its close to an {@link Observation}. */
public final class ObservedConnection implements Connection {

    private final Connection connection;
    private final Observation observation;
    private final Runnable closed;
    private InputStream input;
    private OutputStream output;

    private ObservedConnection(Connection connection, Observation observation) {
        this.connection = connection;
        this.observation = observation;
        this.closed = observation.connectionOpened();
    }

    /**
     * Reports the connection as opened now.
     *
     * @return the connection, reporting to {@code observation} (itself when nothing observes it)
     */
    public static Connection of(Connection connection, Observation observation) {
        return observation.isActive() ? new ObservedConnection(connection, observation) : connection;
    }

    @Override
    public Socket socket() {
        return connection.socket();
    }

    @Override
    public synchronized InputStream input() throws IOException {
        if (input == null) {
            input = new FilterInputStream(connection.input()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        observation.bytesReceived(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    observation.bytesReceived(n);
                    return n;
                }
            };
        }
        return input;
    }

    @Override
    public synchronized OutputStream output() throws IOException {
        if (output == null) {
            output = new FilterOutputStream(connection.output()) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    observation.bytesSent(1);
                }

                @Override
                public void write(byte[] buffer, int offset, int length) throws IOException {
                    out.write(buffer, offset, length); // not FilterOutputStream's byte at a time
                    observation.bytesSent(length);
                }
            };
        }
        return output;
    }

    @Override
    public boolean resumed() {
        return connection.resumed();
    }

    @Override
    public String protocol() {
        return connection.protocol();
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return connection.peerCertificates();
    }

    @Override
    public Optional<String> requestedServerName() {
        return connection.requestedServerName();
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } finally {
            closed.run();
        }
    }
}
