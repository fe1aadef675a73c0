package dev.securenet.internal.tls;

import dev.securenet.ClientAuthentication;
import dev.securenet.SecureConnectionException;
import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.TlsProvider;
import dev.securenet.internal.net.Connection;
import dev.securenet.internal.net.HandshakeDeadline;
import dev.securenet.internal.net.HostNames;
import dev.securenet.internal.trust.PeerTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS over JSSE's {@link SSLSocket}, from the endpoint's {@link TlsProvider}, with securenet's
 * policy. One instance per endpoint configuration, so the session cache is shared only by
 * connections that make the same trust decision.
 *
 * <p>Blocking {@code SSLSocket}s rather than {@code SSLEngine}: the API is blocking streams, the JDK
 * then does record framing and buffering itself, and there is no copy through our own buffers.
 */
public final class JsseTlsEngine implements TlsEngine {

    private static final System.Logger LOG = System.getLogger(JsseTlsEngine.class.getName());
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    private static final byte ALERT_RECORD = 0x15;
    private static final byte FATAL = 0x02;
    private static final byte UNEXPECTED_MESSAGE = 0x0a;
    private static final byte HANDSHAKE_FAILURE = 0x28;

    private final TlsSettings settings;
    private final TlsProvider provider;
    private final SSLSocketFactory factory;
    /** The policy's parameters and client authentication, asked of the provider once: each connection gets a copy. */
    private final SSLParameters policy;

    private JsseTlsEngine(TlsSettings settings, SSLContext context, ClientAuthentication clientAuthentication) {
        this.settings = settings;
        this.provider = TlsProviders.resolve("TLS", settings);
        this.factory = TlsProviders.socketFactory(context, provider);
        try {
            this.policy = TlsPolicy.tls(factory, settings.finiteFieldDhe());
        } catch (IOException e) {
            throw new IllegalStateException("the " + provider + " TLS provider is unusable: " + e.getMessage(), e);
        }
        JsseContexts.applyClientAuthentication(policy, clientAuthentication);
    }

    /**
     * @param settings the client's settings
     * @return an engine verifying servers as {@link JsseContexts#client} says
     */
    public static JsseTlsEngine forClient(TlsSettings settings) {
        return new JsseTlsEngine(settings, JsseContexts.client("TLS", settings), ClientAuthentication.NONE);
    }

    /**
     * @param settings the server's settings; must have an identity
     * @return an engine judging clients as {@link JsseContexts#server} says
     */
    public static JsseTlsEngine forServer(TlsSettings settings) {
        return new JsseTlsEngine(settings, JsseContexts.server("TLS", settings), settings.clientAuthentication());
    }

    @Override
    public Connection connect(Socket connected, String host, int port) throws IOException {
        return handshake(connected, "server " + host + ":" + port, layered -> {
            SSLSocket socket = TlsProviders.prepare(
                    layered.set((SSLSocket) factory.createSocket(connected, host, port, true)), provider);
            socket.setUseClientMode(true);
            socket.setSSLParameters(clientParameters(host));
            int evaluations = PeerTrustManager.evaluationsOnThisThread();
            socket.startHandshake();
            // the server's certificate is evaluated in every full handshake, and never in a resumed one
            return new JsseConnection(socket, PeerTrustManager.evaluationsOnThisThread() == evaluations);
        });
    }

    @FunctionalInterface
    private interface Handshake {
        Connection run(Layered layered) throws IOException;
    }

    /** The TLS socket a handshake layered over the TCP one, once it exists. */
    private static final class Layered {

        private SSLSocket socket;

        SSLSocket set(SSLSocket layered) {
            socket = layered;
            return layered;
        }
    }

    /**
     * Runs a handshake within the deadline; on any failure both sockets are closed and the failure
     * classified. The TLS socket too: Conscrypt's holds native state (a BoringSSL object with a
     * pipe) that closing only the TCP socket would leave to the garbage collector.
     */
    private Connection handshake(Socket socket, String peer, Handshake handshake) throws IOException {
        HandshakeDeadline deadline = null;
        Layered layered = new Layered();
        try {
            deadline = HandshakeDeadline.start(socket, settings.handshakeTimeout());
            Connection connection = handshake.run(layered);
            deadline.close();
            return connection;
        } catch (IOException | RuntimeException e) {
            if (deadline != null) {
                deadline.close();
            }
            if (layered.socket != null) {
                try {
                    layered.socket.setSoTimeout(0); // as JsseConnection.close: no wait for the peer's input
                } catch (IOException closed) {
                    // closed already: close() below costs nothing
                }
                closeQuietly(layered.socket);
            }
            closeQuietly(socket);
            throw HandshakeFailures.classify(asIo(e), deadline != null && deadline.expired(), peer,
                    settings.handshakeTimeout().toMillis(), settings.hasIdentity());
        }
    }

    private SSLParameters clientParameters(String host) {
        SSLParameters parameters = TlsPolicy.copyOf(policy);
        if (settings.verifier() == null) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!HostNames.isIpLiteral(host)) {
            // JSSE sends SNI only for names with a dot; "localhost" and other single-label names need it too
            try {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.DEBUG, "not sending SNI for {0}: {1}", host, e.getMessage());
            }
        }
        return parameters;
    }

    @Override
    public Connection accept(Socket accepted) throws IOException {
        String peer = "client " + accepted.getRemoteSocketAddress();
        return handshake(accepted, peer, layered -> {
            InputStream input = accepted.getInputStream();
            int first = input.read();
            if (first != TLS_HANDSHAKE_RECORD) {
                refuseWithAlert(accepted, first);
                throw notTls(first, peer);
            }
            // everything the TLS layer reads passes the guard: the "consumed" stream never ends before the socket does
            RenegotiationGuard guard = new RenegotiationGuard(first, input);
            SSLSocket socket = layer(accepted, guard, layered);
            socket.setSSLParameters(TlsPolicy.copyOf(policy));
            long started = System.currentTimeMillis();
            socket.startHandshake();
            guard.handshakeDone();
            return new JsseConnection(socket, TlsProviders.serverResumed(socket, started, provider));
        });
    }

    /** A server socket over the accepted one, reading through {@code input}, recorded in {@code layered}. */
    private SSLSocket layer(Socket accepted, InputStream input, Layered layered) throws IOException {
        if (provider == TlsProvider.JDK) {
            return layered.set((SSLSocket) factory.createSocket(accepted, input, true));
        }
        // other providers have no such method: they get a socket whose stream is the guarded one
        SSLSocket socket = TlsProviders.prepare(layered.set((SSLSocket) factory.createSocket(new ReplayingSocket(accepted, input),
                accepted.getInetAddress().getHostAddress(), accepted.getPort(), true)), provider);
        socket.setUseClientMode(false);
        return socket;
    }

    /**
     * Says why in TLS before closing, as the JDK's own server does: a fatal handshake_failure to an
     * SSLv2-format hello (high bit set), a fatal unexpected_message to anything else.
     */
    private static void refuseWithAlert(Socket accepted, int first) {
        if (first < 0) {
            return; // the client is gone
        }
        byte description = (first & 0x80) != 0 ? HANDSHAKE_FAILURE : UNEXPECTED_MESSAGE;
        try {
            accepted.getOutputStream().write(new byte[] {ALERT_RECORD, 0x03, 0x03, 0x00, 0x02, FATAL, description});
            accepted.shutdownOutput(); // the alert, then end of stream, before the close that unread input may turn into a reset
        } catch (IOException e) {
            // the client may already have gone: closing is what matters
        }
    }

    private static SecureConnectionException notTls(int first, String peer) {
        if (first < 0) {
            return new SecureConnectionException(Reason.HANDSHAKE_FAILED,
                    "The " + peer + " closed the connection before sending a TLS ClientHello.", null);
        }
        String hint = first >= 'A' && first <= 'Z'
                ? " It starts with '" + (char) first + "': probably plaintext (HTTP?); use https:// and TLS."
                : " Its first byte is 0x" + Integer.toHexString(first) + ", not a TLS handshake record (0x16).";
        return new SecureConnectionException(Reason.PEER_NOT_TLS, "The " + peer + " does not speak TLS." + hint, null);
    }

    private static IOException asIo(Exception e) {
        // JSSE reports some malformed input as runtime exceptions
        return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already failing; the handshake error is what matters
        }
    }
}
