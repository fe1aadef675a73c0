package dev.securenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securenet.testing.ExternalProcess;
import dev.securenet.testing.TestPki;
import dev.securenet.testing.TestPki.Identity;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every PEM form a key or chain may come in, and a clear error for every way it can be wrong. */
class PemKeyMaterialTest {

    private static final TestPki PKI = TestPki.create();
    private static final char[] PASSWORD = "correct horse".toCharArray();
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    @TempDir
    Path directory;

    private static SecurityProperties properties() {
        return TcpAcceptor.open().securityProperties();
    }

    /** Configures the key with its own certificate: parsing and the key/leaf match check both pass. */
    private static void accepts(KeyPair keys, String keyPem, char[] password) {
        Identity identity = PKI.serverFor(keys);
        SecurityProperties properties = properties().useCertificates(List.of(identity.chainPem()));
        properties.usePrivateKey(keyPem, password);
        // and the other way round: key first, then chain
        properties().usePrivateKey(keyPem, password).useCertificates(List.of(identity.chainPem()));
    }

    private static String write(Object pemObject) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pemObject);
        }
        return text.toString();
    }

    @Test
    void pkcs8() throws Exception {
        KeyPair keys = TestPki.rsaKeys();
        String pem = write(new JcaPKCS8Generator(keys.getPrivate(), null));
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        accepts(keys, pem, null);
    }

    @Test
    void encryptedPkcs8() throws Exception {
        KeyPair keys = TestPki.ecKeys();
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC).setPassword(PASSWORD).build();
        String pem = write(new JcaPKCS8Generator(keys.getPrivate(), encryptor));
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        accepts(keys, pem, PASSWORD);
    }

    @Test
    void pkcs1Rsa() throws Exception {
        KeyPair keys = TestPki.rsaKeys();
        String pem = write(keys.getPrivate());
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        accepts(keys, pem, null);
    }

    @Test
    void legacyEncryptedPkcs1() throws Exception {
        KeyPair keys = TestPki.rsaKeys();
        String pem = write(new JcaMiscPEMGenerator(keys.getPrivate(), new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build(PASSWORD)));
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----").contains("Proc-Type: 4,ENCRYPTED");
        accepts(keys, pem, PASSWORD);
    }

    @Test
    void sec1Ec() throws Exception {
        KeyPair keys = TestPki.ecKeys();
        // BouncyCastle's writer leaves the curve out of SEC1; write it the way everyone meets it, with openssl
        Path pkcs8 = Files.writeString(directory.resolve("ec-pkcs8.pem"), write(new JcaPKCS8Generator(keys.getPrivate(), null)));
        Path sec1 = directory.resolve("ec-sec1.pem");
        ExternalProcess.run(Duration.ofSeconds(30), "openssl", "ec", "-in", pkcs8.toString(), "-out", sec1.toString()).close();
        String pem = Files.readString(sec1);
        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----");
        accepts(keys, pem, null);
    }

    @Test
    void ed25519() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = write(new JcaPKCS8Generator(keys.getPrivate(), null));
        accepts(keys, pem, null);
    }

    @Test
    void keysWrittenByOpenssl() throws Exception {
        // SEC1 with the "EC PARAMETERS" block that 'openssl ecparam -genkey' writes first
        Path ec = directory.resolve("ec.pem");
        ExternalProcess.run(Duration.ofSeconds(30), "openssl", "ecparam", "-genkey", "-name", "prime256v1", "-out", ec.toString()).close();
        String ecPem = Files.readString(ec);
        assertThat(ecPem).contains("BEGIN EC PARAMETERS").contains("BEGIN EC PRIVATE KEY");
        assertThat(properties().usePrivateKey(ecPem)).isNotNull();

        // encrypted PKCS#8 with PBES2 / AES-256-CBC / PBKDF2-SHA256, openssl's default
        Path encrypted = directory.resolve("encrypted.pem");
        ExternalProcess.run(Duration.ofSeconds(30), "openssl", "pkcs8", "-topk8", "-in", ec.toString(),
                "-out", encrypted.toString(), "-passout", "pass:" + new String(PASSWORD)).close();
        assertThat(properties().usePrivateKey(Files.readString(encrypted), PASSWORD)).isNotNull();

        // Ed25519 from genpkey
        Path ed = directory.resolve("ed25519.pem");
        ExternalProcess.run(Duration.ofSeconds(30), "openssl", "genpkey", "-algorithm", "ed25519", "-out", ed.toString()).close();
        assertThat(properties().usePrivateKey(Files.readString(ed))).isNotNull();
    }

    @Test
    void chainInOneElementOrManyOrAsDer() throws Exception {
        Identity server = PKI.server();
        String leaf = TestPki.pem(server.chain().get(0));
        String intermediate = TestPki.pem(server.chain().get(1));
        List<byte[]> der = List.of(server.chain().get(0).getEncoded(), server.chain().get(1).getEncoded());

        for (SecurityProperties properties : List.of(
                properties().useCertificates(List.of(server.chainPem())),
                properties().useCertificates(List.of(leaf, intermediate)),
                properties().useCertificatesDer(der))) {
            properties.usePrivateKey(server.keyPem()); // matches the leaf: the chain is in order
        }
    }

    @Test
    void emptyKey() {
        assertThatThrownBy(() -> properties().usePrivateKey("")).isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> properties().usePrivateKey("no pem here")).isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("no PEM block");
    }

    @Test
    void truncatedKey() {
        String pem = PKI.server().keyPem();
        String truncated = pem.substring(0, pem.length() / 2);
        assertThatThrownBy(() -> properties().usePrivateKey(truncated)).isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("not valid PEM");
    }

    @Test
    void damagedKeyBody() {
        String pem = PKI.server().keyPem();
        String damaged = pem.replaceFirst("\n[A-Za-z0-9+/]{10}", "\n!!!!!!!!!!");
        assertThatThrownBy(() -> properties().usePrivateKey(damaged)).isInstanceOf(KeyMaterialException.class);
    }

    @Test
    void wrongOrMissingPassword() throws Exception {
        KeyPair keys = TestPki.ecKeys();
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC).setPassword(PASSWORD).build();
        String pkcs8 = write(new JcaPKCS8Generator(keys.getPrivate(), encryptor));
        String legacy = write(new JcaMiscPEMGenerator(keys.getPrivate(), new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build(PASSWORD)));

        for (String pem : List.of(pkcs8, legacy)) {
            assertThatThrownBy(() -> properties().usePrivateKey(pem, "wrong".toCharArray()))
                    .isInstanceOf(KeyMaterialException.class).hasMessageContaining("password is wrong");
            assertThatThrownBy(() -> properties().usePrivateKey(pem))
                    .isInstanceOf(KeyMaterialException.class).hasMessageContaining("no password was given");
        }
    }

    @Test
    void keyThatDoesNotBelongToTheLeaf() {
        Identity one = PKI.server();
        Identity other = PKI.server();
        assertThatThrownBy(() -> properties().useCertificates(List.of(one.chainPem())).usePrivateKey(other.keyPem()))
                .isInstanceOf(KeyMaterialException.class).hasMessageContaining("does not belong to the leaf certificate CN=localhost");
        assertThatThrownBy(() -> properties().usePrivateKey(other.keyPem()).useCertificates(List.of(one.chainPem())))
                .isInstanceOf(KeyMaterialException.class).hasMessageContaining("does not belong");
        // an RSA key with an EC certificate
        assertThatThrownBy(() -> properties().useCertificates(List.of(one.chainPem())).usePrivateKey(PKI.server("RSA").keyPem()))
                .isInstanceOf(KeyMaterialException.class).hasMessageContaining("(RSA)");
    }

    @Test
    void certificateWhereAKeyBelongsAndTheOtherWayRound() {
        Identity server = PKI.server();
        assertThatThrownBy(() -> properties().usePrivateKey(server.chainPem()))
                .isInstanceOf(KeyMaterialException.class).hasMessageContaining("holds a CERTIFICATE");
        assertThatThrownBy(() -> properties().useCertificates(List.of(server.keyPem())))
                .isInstanceOf(KeyMaterialException.class).hasMessageContaining("holds no certificate (found a PRIVATE KEY)");
    }

    @Test
    void badCertificates() {
        assertThatThrownBy(() -> properties().useCertificates(List.of()))
                .isInstanceOf(KeyMaterialException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> properties().useCertificates(List.of("")))
                .isInstanceOf(KeyMaterialException.class).hasMessageContaining("certificate chain element 0 is empty");
        String chain = PKI.server().chainPem();
        assertThatThrownBy(() -> properties().useCertificates(List.of(chain.substring(0, chain.length() - 40))))
                .isInstanceOf(KeyMaterialException.class).hasMessageContaining("not valid PEM");
        assertThatThrownBy(() -> properties().useCertificatesDer(List.of("not der".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(KeyMaterialException.class).hasMessageContaining("not a valid DER-encoded X.509 certificate");
        assertThatThrownBy(() -> properties().useTrustedCertificates("-----BEGIN CERTIFICATE-----\n"
                + Base64.getEncoder().encodeToString(new byte[32]) + "\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(KeyMaterialException.class);
    }

    @Test
    void clientWithHalfAnIdentityIsRefusedBeforeConnecting() {
        TcpSocket socket = TcpSocket.open();
        socket.securityProperties().usePrivateKey(PKI.client("half").keyPem());
        assertThatThrownBy(() -> socket.connect("127.0.0.1", 9)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no certificate chain");
    }

}
