package dev.securenet.benchmarks;

import dev.securenet.TcpSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sending 1 MiB over TLS on loopback and waiting for the server's acknowledgement, three ways in
 * one run: securenet's {@link TcpSocket} (JSSE {@code SSLSocket} underneath), a raw JSSE
 * {@code SSLSocket} (the baseline: what securenet adds costs the difference), and a raw
 * {@code SSLEngine} over a blocking channel (the design securenet did not choose).
 *
 * <p>Also the cost of connecting: securenet's connect (TCP, handshake, verification; sessions are
 * resumed across sockets with the same settings) against a raw JSSE connect with a fresh context.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TcpTransferBenchmark {

    private LoopbackTls server;
    private SSLContext trusting;
    private final ByteBuffer payload = ByteBuffer.allocate(LoopbackTls.CHUNK);
    private final byte[] payloadBytes = new byte[LoopbackTls.CHUNK];

    private TcpSocket securenet;
    private SSLSocket jsseSocket;
    private EngineSocket jsseEngine;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = new LoopbackTls();
        trusting = server.trustingContext();
        securenet = TcpSocket.open();
        securenet.securityProperties().useCertificateVerifier(chain -> chain.leaf().equals(server.certificate()));
        securenet.connect("localhost", server.port());
        jsseSocket = rawSocket();
        jsseEngine = new EngineSocket(trusting, server.port());
    }

    private SSLSocket rawSocket() throws Exception {
        SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("localhost", server.port());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        securenet.close();
        jsseSocket.close();
        jsseEngine.close();
        server.close();
    }

    /** securenet: 1 MiB out, one byte back. */
    @Benchmark
    public int securenetTcpSocket() throws Exception {
        OutputStream output = securenet.getOutputStream();
        output.write(payloadBytes);
        output.flush();
        return securenet.getInputStream().read();
    }

    /** Baseline: the same with a raw JSSE SSLSocket. */
    @Benchmark
    public int jsseSslSocketBaseline() throws Exception {
        OutputStream output = jsseSocket.getOutputStream();
        output.write(payloadBytes);
        output.flush();
        InputStream input = jsseSocket.getInputStream();
        return input.read();
    }

    /** Alternative design: SSLEngine over a blocking SocketChannel with our own buffers. */
    @Benchmark
    public int jsseSslEngineAlternative() throws Exception {
        payload.clear();
        jsseEngine.write(payload);
        return jsseEngine.readByte();
    }

    /** securenet: open, connect, handshake, verify, close. */
    @Benchmark
    public void securenetConnect() throws Exception {
        try (TcpSocket socket = TcpSocket.open()) {
            socket.securityProperties().useTrustedCertificates(java.util.List.of(server.certificate()));
            socket.connect("localhost", server.port());
        }
    }

    /** Baseline: a raw JSSE client connect and handshake with one context (it resumes sessions too). */
    @Benchmark
    public void jsseConnectBaseline() throws Exception {
        rawSocket().close();
    }
}
