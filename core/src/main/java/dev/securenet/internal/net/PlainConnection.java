package dev.securenet.internal.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** A connection with security explicitly disabled. */
public final class PlainConnection implements Connection {

    private final Socket socket;

    /** @param socket the connected socket */
    public PlainConnection(Socket socket) {
        this.socket = socket;
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
    public boolean resumed() {
        return false;
    }

    @Override
    public String protocol() {
        return "plaintext";
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return List.of();
    }

    @Override
    public Optional<String> requestedServerName() {
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
