package dev.securenet.internal.tls;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What a server's TLS layer reads from a client, watched record by record: once the handshake is
 * complete, a handshake record from the client can only be a TLS 1.2 renegotiation (TLS 1.3 sends
 * every later message inside application_data records). It is refused before the TLS layer sees it,
 * so the renegotiation never runs: the connection fails instead (RFC 5746 leaves refusing to the
 * server; scanners flag client-initiated renegotiation as a denial-of-service vector).
 */
final class RenegotiationGuard extends FilterInputStream {

    private static final int HEADER = 5;
    private static final int HANDSHAKE = 22;

    private final byte[] header = new byte[HEADER];
    private int headerSeen;
    private int bodyLeft;
    /** The byte read before the TLS layer existed, handed to it first; -1 once handed. */
    private int pushBack;
    private volatile boolean handshakeDone;
    private boolean refused;

    /**
     * @param first  the first byte of the connection, already read (a handshake record's type)
     * @param socket the rest of the connection
     */
    RenegotiationGuard(int first, InputStream socket) {
        super(socket);
        header[0] = (byte) first;
        headerSeen = 1;
        pushBack = first;
    }

    /** From now on, a handshake record from the client is a renegotiation. */
    void handshakeDone() {
        handshakeDone = true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (refused) {
            throw refusal();
        }
        if (length == 0) {
            return 0;
        }
        if (pushBack >= 0) {
            buffer[offset] = (byte) pushBack;
            pushBack = -1;
            return 1; // already counted in the header
        }
        int n = in.read(buffer, offset, length);
        for (int i = 0; i < n; i++) {
            if (bodyLeft > 0) {
                int skip = Math.min(bodyLeft, n - i);
                bodyLeft -= skip;
                i += skip - 1;
                continue;
            }
            if (headerSeen == 0 && handshakeDone && buffer[offset + i] == HANDSHAKE) {
                refused = true; // what came before is the TLS layer's; from here on the connection fails
                if (i == 0) {
                    throw refusal();
                }
                return i;
            }
            header[headerSeen++] = buffer[offset + i];
            if (headerSeen == HEADER) {
                bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                headerSeen = 0;
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skipping is not supported on a TLS record stream");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private static IOException refusal() {
        return new IOException("the client tried to renegotiate, which securenet refuses: the connection ends");
    }
}
