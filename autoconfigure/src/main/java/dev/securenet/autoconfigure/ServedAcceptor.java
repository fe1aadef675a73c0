package dev.securenet.autoconfigure;

import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import dev.securenet.UdpAcceptor;
import dev.securenet.UdpSocket;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What the lifecycle needs of an acceptor, TCP or UDP: bind, accept, serve, close. Keeps
 * {@link AcceptorLifecycle} to one implementation for both transports.
 *
 * @param <S> the accepted socket type
 */
interface ServedAcceptor<S extends Closeable> {

    /** Binds (and for TCP listens), after which connections are accepted. */
    void start(InetSocketAddress address) throws IOException;

    S accept() throws IOException;

    /** @return whether a handler serves the accepted sockets (else the application accepts itself) */
    boolean hasHandler();

    /** Serves one accepted socket with the configured handler. */
    void serve(S socket) throws IOException;

    InetSocketAddress localAddress();

    /** @return "TLS" or "DTLS" with the certificate's subject and expiry, or which plaintext, for the startup log */
    String describe();

    void close() throws IOException;

    /**
     * @param readTimeout set on each connection before the handler gets it (the handler may change it)
     */
    static ServedAcceptor<TcpSocket> tcp(TcpAcceptor acceptor, ConnectionHandler handler, int backlog, Duration readTimeout) {
        return new ServedAcceptor<>() {
            @Override
            public void start(InetSocketAddress address) throws IOException {
                acceptor.bind(address);
                acceptor.listen(backlog);
            }

            @Override
            public TcpSocket accept() throws IOException {
                return acceptor.accept();
            }

            @Override
            public boolean hasHandler() {
                return handler != null;
            }

            @Override
            public void serve(TcpSocket socket) throws IOException {
                socket.setReadTimeout(readTimeout); // a silent client must not hold its thread forever
                handler.handle(socket);
            }

            @Override
            public InetSocketAddress localAddress() {
                return acceptor.localAddress();
            }

            @Override
            public String describe() {
                return acceptor.securityProperties().isSecurityDisabled() ? "TCP, PLAINTEXT"
                        : "TLS, certificate " + EndpointCertificates.summary(acceptor.securityProperties().certificateChain().get(0));
            }

            @Override
            public void close() throws IOException {
                acceptor.close();
            }
        };
    }

    static ServedAcceptor<UdpSocket> udp(UdpAcceptor acceptor, DatagramHandler handler) {
        return new ServedAcceptor<>() {
            @Override
            public void start(InetSocketAddress address) throws IOException {
                acceptor.bind(address);
            }

            @Override
            public UdpSocket accept() throws IOException {
                return acceptor.accept();
            }

            @Override
            public boolean hasHandler() {
                return handler != null;
            }

            @Override
            public void serve(UdpSocket socket) throws IOException {
                handler.handle(socket);
            }

            @Override
            public InetSocketAddress localAddress() {
                return acceptor.localAddress();
            }

            @Override
            public String describe() {
                return acceptor.securityProperties().isSecurityDisabled() ? "UDP, PLAINTEXT"
                        : "DTLS, certificate " + EndpointCertificates.summary(acceptor.securityProperties().certificateChain().get(0));
            }

            @Override
            public void close() {
                acceptor.close();
            }
        };
    }
}
