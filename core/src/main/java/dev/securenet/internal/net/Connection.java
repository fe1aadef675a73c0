package dev.securenet.internal.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** An established stream connection, secured by some engine or plaintext. */
public interface Connection extends Closeable {

    /** @return the underlying socket, for addresses and timeouts */
    Socket socket();

    /** @return the stream of the peer's application data */
    InputStream input() throws IOException;

    /** @return the stream to the peer */
    OutputStream output() throws IOException;

    /** @return "TLSv1.3", "TLSv1.2" or "plaintext" */
    String protocol();

    /** @return the chain the peer presented, leaf first; empty where it presented none */
    List<X509Certificate> peerCertificates();

    /** @return whether the handshake resumed an earlier session (an abbreviated handshake); false for plaintext */
    boolean resumed();

    /** @return on the server side, the host name the client asked for with SNI */
    Optional<String> requestedServerName();
}
