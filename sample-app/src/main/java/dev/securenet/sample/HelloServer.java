package dev.securenet.sample;

import dev.securenet.SecureConnectionException;
import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * P1861R0's TLS server example: answers every request with a fixed page, over TLS, with the
 * paper's own test certificate.
 *
 * <p>Arguments: {@code [address [port]]}, by default {@code 127.0.0.1 50000}.
 */
public final class HelloServer {

    static final String RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Content-Length: 28\r\n"
            + "\r\n"
            + "<html><h1>hello!</h1></html>";

    private HelloServer() {
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args optional address and port
     */
    public static void main(String[] args) throws IOException {
        String address = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 50000;

        TcpAcceptor acceptor = TcpAcceptor.open();
        // the paper's test certificate: not signed by a trusted CA, which is why curl needs --insecure
        acceptor.securityProperties()
                .useCertificates(List.of(resource("paper/certificate.pem")))
                .usePrivateKey(resource("paper/private-key.pem"));
        acceptor.bind(new InetSocketAddress(address, port));
        acceptor.listen();

        System.out.println("try running 'curl https://127.0.0.1:" + acceptor.localAddress().getPort()
                + " --insecure' in a terminal");
        while (true) {
            TcpSocket socket;
            try {
                socket = acceptor.accept();
            } catch (SecureConnectionException e) {
                System.out.println("a client failed its handshake (" + e.reason() + "): " + e.getMessage());
                continue;
            }
            Thread handler = new Thread(() -> answer(socket), "hello-" + socket);
            handler.setDaemon(true);
            handler.start();
        }
    }

    private static void answer(TcpSocket socket) {
        try (socket) {
            socket.setReadTimeout(Duration.ofSeconds(10));
            byte[] request = new byte[1000];
            if (socket.getInputStream().read(request) > 0) {
                socket.getOutputStream().write(RESPONSE.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
        } catch (IOException e) {
            System.out.println("connection ended: " + e.getMessage());
        }
    }

    private static String resource(String name) {
        try (InputStream input = HelloServer.class.getClassLoader().getResourceAsStream(name)) {
            if (input == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(input.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
