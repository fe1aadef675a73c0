package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securenet.testing.Serving;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 8446 §4.4.3: a TLS 1.3 CertificateVerify is never signed with SHA-1. A client that offers only
 * ecdsa_sha1 (tools such as tlsfuzzer do; OpenSSL and the JDK refuse to) gets no signature from us:
 * the handshake fails and the connection is closed, where it used to be signed with SHA-1.
 */
@Timeout(60)
class HandshakeSignaturePolicyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aTls13ClientOfferingOnlySha1SignaturesIsRefused() throws Exception {
        Identity server = TestPki.create().server("EC");
        TcpAcceptor acceptor = TcpAcceptor.open();
        acceptor.securityProperties().useCertificates(List.of(server.chainPem())).usePrivateKey(server.keyPem())
                .setHandshakeTimeout(Duration.ofSeconds(30));
        acceptor.bind("127.0.0.1", 0).listen();
        try (acceptor; Serving serving = Serving.start(acceptor, Serving.echoLine());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), serving.port())) {
            client.setSoTimeout((int) WAIT.toMillis());
            client.getOutputStream().write(clientHello(0x0203)); // ecdsa_sha1
            // the server gives up at once (an alert, then close) instead of waiting for our Finished
            InputStream input = client.getInputStream();
            while (input.read() >= 0) {
                // ServerHello, then an encrypted alert: read to the end
            }
            assertThat(serving.nextFailure(WAIT)).isInstanceOf(SecureConnectionException.class)
                    .hasMessageContaining("signature");
        }
    }

    /** A minimal TLS 1.3 ClientHello: x25519 key share, TLS_AES_128_GCM_SHA256, one signature scheme. */
    private static byte[] clientHello(int signatureScheme) {
        SecureRandom random = new SecureRandom();
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extension(extensions, 0x002b, new byte[] {2, 0x03, 0x04});                 // supported_versions: TLS 1.3
        extension(extensions, 0x000a, new byte[] {0, 2, 0x00, 0x1d});              // supported_groups: x25519
        extension(extensions, 0x000d, new byte[] {0, 2, (byte) (signatureScheme >> 8), (byte) signatureScheme});
        byte[] share = new byte[32];
        random.nextBytes(share);
        ByteArrayOutputStream keyShare = new ByteArrayOutputStream();
        keyShare.writeBytes(new byte[] {0, 36, 0x00, 0x1d, 0, 32});
        keyShare.writeBytes(share);
        extension(extensions, 0x0033, keyShare.toByteArray());                       // key_share
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x03, 0x03});                                   // legacy_version
        byte[] clientRandom = new byte[32];
        random.nextBytes(clientRandom);
        body.writeBytes(clientRandom);
        byte[] sessionId = new byte[32];
        random.nextBytes(sessionId);
        body.write(32);
        body.writeBytes(sessionId);
        body.writeBytes(new byte[] {0, 2, 0x13, 0x01, 1, 0});                       // one suite, null compression
        body.write(extensions.size() >> 8);
        body.write(extensions.size());
        body.writeBytes(extensions.toByteArray());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        int handshakeLength = body.size() + 4;
        record.writeBytes(new byte[] {0x16, 0x03, 0x01, (byte) (handshakeLength >> 8), (byte) handshakeLength});
        record.writeBytes(new byte[] {0x01, 0, (byte) (body.size() >> 8), (byte) body.size()});
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        out.writeBytes(new byte[] {(byte) (type >> 8), (byte) type, (byte) (data.length >> 8), (byte) data.length});
        out.writeBytes(data);
    }
}
