package dev.securenet.testing;

import dev.securenet.CertificateChain;
import dev.securenet.TcpAcceptor;
import dev.securenet.TcpSocket;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs an accept loop over a listening {@link TcpAcceptor} on a background thread: each accepted
 * socket goes to the handler, each failed accept is recorded for the test to inspect.
 */
public final class Serving implements AutoCloseable {

    /** What the server does with one connection; the socket is closed afterwards. */
    @FunctionalInterface
    public interface Handler {
        void serve(TcpSocket socket) throws IOException;
    }

    private final TcpAcceptor acceptor;
    private final BlockingQueue<IOException> failures = new LinkedBlockingQueue<>();
    private final BlockingQueue<Served> served = new LinkedBlockingQueue<>();

    /** What the server saw of one connection, taken before the handler ran. */
    public record Served(String protocol, Optional<String> requestedServerName, Optional<CertificateChain> peerCertificates) {
    }
    private final Thread thread;

    private Serving(TcpAcceptor acceptor, Handler handler) {
        this.acceptor = acceptor;
        this.thread = new Thread(() -> loop(handler), "test-server");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts serving a listening acceptor; closing this closes the acceptor. */
    public static Serving start(TcpAcceptor acceptor, Handler handler) {
        return new Serving(acceptor, handler);
    }

    /** A handler that reads one line and answers "echo: " + line. */
    public static Handler echoLine() {
        return socket -> {
            socket.setReadTimeout(Duration.ofSeconds(10));
            String line = Lines.readLine(socket.getInputStream());
            socket.getOutputStream().write(("echo: " + line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        };
    }

    private void loop(Handler handler) {
        while (true) {
            TcpSocket socket;
            try {
                socket = acceptor.accept();
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                failures.add(e);
                continue;
            }
            try (socket) {
                served.add(new Served(socket.protocol(), socket.requestedServerName(), socket.peerCertificates()));
                handler.serve(socket);
            } catch (IOException e) {
                failures.add(e);
            }
        }
    }

    /** Waits for the next failed accept or connection. */
    public IOException nextFailure(Duration timeout) throws InterruptedException {
        IOException failure = failures.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (failure == null) {
            throw new AssertionError("the server saw no failure within " + timeout);
        }
        return failure;
    }

    /** Waits for what the server saw of the next connection it accepted. */
    public Served nextServed(Duration timeout) throws InterruptedException {
        Served socket = served.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (socket == null) {
            throw new AssertionError("the server accepted nothing within " + timeout);
        }
        return socket;
    }

    /** @return the port the acceptor listens on */
    public int port() {
        return acceptor.localAddress().getPort();
    }

    @Override
    public void close() throws Exception {
        acceptor.close();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
