package dev.securenet.internal.tls;

import dev.securenet.internal.net.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** A connection over a JSSE {@link SSLSocket} whose handshake has completed. */
final class JsseConnection implements Connection {

    private final SSLSocket socket;
    private final boolean resumed;

    /** @param resumed whether the handshake resumed a session */
    JsseConnection(SSLSocket socket, boolean resumed) {
        this.socket = socket;
        this.resumed = resumed;
    }

    @Override
    public boolean resumed() {
        return resumed;
    }

    @Override
    public Socket socket() {
        return socket;
    }

    @Override
    public InputStream input() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public OutputStream output() throws IOException {
        return socket.getOutputStream();
    }

    @Override
    public String protocol() {
        return socket.getSession().getProtocol();
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return PeerChains.of(socket.getSession());
    }

    @Override
    public Optional<String> requestedServerName() {
        SSLSession session = socket.getSession();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return Optional.of(host.getAsciiName());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        // With a read timeout set, JSSE's close waits up to that long for more input before it
        // lets go (SSLSocketInputRecord.deplete); closing must not take a read timeout.
        try {
            socket.setSoTimeout(0);
        } catch (IOException e) {
            // already closed or broken: close() below does what is left
        }
        socket.close();
    }
}
