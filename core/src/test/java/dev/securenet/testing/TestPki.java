package dev.securenet.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test PKI made at test time: root CA, intermediate CA, and leaves issued by the intermediate.
 * Nothing here is trusted by the system: tests trust the root explicitly.
 */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair with its certificate and the chain that leads from it towards the root. */
    public record Identity(String name, PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) {

        /**
         * @return the key as PKCS#8 PEM; EC keys carry their public key, which GnuTLS requires
         *         (the JDK's encoding leaves that optional field out)
         */
        public String keyPem() {
            if (key instanceof java.security.interfaces.ECPrivateKey ec) {
                try {
                    var publicKey = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
                    var inner = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                            publicKey.getPublicKeyData(), null);
                    var info = new org.bouncycastle.asn1.pkcs.PrivateKeyInfo(publicKey.getAlgorithm(), inner);
                    return "-----BEGIN PRIVATE KEY-----\n"
                            + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(info.getEncoded())
                            + "\n-----END PRIVATE KEY-----\n";
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return pem(key);
        }

        /** @return the leaf and the intermediates, leaf first, as one PEM text */
        public String chainPem() {
            StringBuilder text = new StringBuilder();
            for (X509Certificate certificate : chain) {
                text.append(pem(certificate));
            }
            return text.toString();
        }

        /** @return the leaf alone as PEM */
        public String certificatePem() {
            return pem(certificate);
        }

        /** Writes the key, the chain, the leaf alone and the intermediates alone into a folder. */
        public Written writeTo(Path directory) {
            try {
                Files.createDirectories(directory);
                Path keyFile = Files.writeString(directory.resolve(name + ".key"), keyPem());
                Path chainFile = Files.writeString(directory.resolve(name + "-chain.pem"), chainPem());
                Path certFile = Files.writeString(directory.resolve(name + ".pem"), certificatePem());
                StringBuilder intermediates = new StringBuilder();
                for (X509Certificate certificate : chain.subList(1, chain.size())) {
                    intermediates.append(pem(certificate));
                }
                Path intermediatesFile = Files.writeString(directory.resolve(name + "-intermediates.pem"),
                        intermediates.toString());
                return new Written(keyFile, chainFile, certFile, intermediatesFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Paths of an identity written to disk. */
    public record Written(Path key, Path chain, Path certificate, Path intermediates) {
    }

    /**
     * Writes the root certificate into a folder.
     *
     * @return its path
     */
    public Path writeRootTo(Path directory) {
        try {
            Files.createDirectories(directory);
            return Files.writeString(directory.resolve("root.pem"), rootPem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Identity root;
    private final Identity intermediate;

    private TestPki(String rootName) {
        KeyPair rootKeys = ecKeys();
        X509Certificate rootCertificate = issue(rootName, rootKeys, rootName, rootKeys.getPrivate(),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(3650)), true, List.of(), null);
        root = new Identity("root", rootKeys.getPrivate(), rootCertificate, List.of(rootCertificate));
        KeyPair intermediateKeys = ecKeys();
        X509Certificate intermediateCertificate = issue("CN=securenet test intermediate", intermediateKeys, rootName,
                rootKeys.getPrivate(), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(3650)),
                true, List.of(), null);
        intermediate = new Identity("intermediate", intermediateKeys.getPrivate(), intermediateCertificate,
                List.of(intermediateCertificate));
    }

    /** @return a fresh PKI with its own root */
    public static TestPki create() {
        return new TestPki("CN=securenet test root " + SERIAL.incrementAndGet());
    }

    /** @return the root certificate as PEM, to trust */
    public String rootPem() {
        return pem(root.certificate());
    }

    /** @return the root certificate */
    public X509Certificate rootCertificate() {
        return root.certificate();
    }

    /** @return a server leaf for localhost, 127.0.0.1 and ::1, valid now, with an EC key */
    public Identity server() {
        return leaf("server", "localhost", List.of("DNS:localhost", "IP:127.0.0.1", "IP:::1"), ecKeys(), validNow(), false);
    }

    /** @return a server leaf for localhost only (no IP address names) */
    public Identity serverWithoutIp() {
        return leaf("server-no-ip", "localhost", List.of("DNS:localhost"), ecKeys(), validNow(), false);
    }

    /** @return a server leaf for another host */
    public Identity otherHost() {
        return leaf("other-host", "other.example", List.of("DNS:other.example"), ecKeys(), validNow(), false);
    }

    /** @return a server leaf for localhost that expired yesterday */
    public Identity expiredServer() {
        Instant now = Instant.now();
        return leaf("expired", "localhost", List.of("DNS:localhost", "IP:127.0.0.1"), ecKeys(),
                new Instant[] {now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))}, false);
    }

    /** @return a server leaf for localhost with a key of the given algorithm ("RSA", "EC", "Ed25519") */
    public Identity server(String keyAlgorithm) {
        KeyPair keys = switch (keyAlgorithm) {
            case "RSA" -> rsaKeys();
            case "EC" -> ecKeys();
            default -> keys(keyAlgorithm, null);
        };
        return leaf("server-" + keyAlgorithm.toLowerCase(java.util.Locale.ROOT), "localhost",
                List.of("DNS:localhost", "IP:127.0.0.1"), keys, validNow(), false);
    }

    /** @return a server leaf for localhost issued for the given key pair */
    public Identity serverFor(KeyPair keys) {
        return leaf("server-" + keys.getPublic().getAlgorithm().toLowerCase(java.util.Locale.ROOT), "localhost",
                List.of("DNS:localhost", "IP:127.0.0.1"), keys, validNow(), false);
    }

    /** @return a client identity */
    public Identity client(String name) {
        return leaf(name, name, List.of("DNS:" + name), ecKeys(), validNow(), true);
    }

    private static Instant[] validNow() {
        Instant now = Instant.now();
        return new Instant[] {now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365))};
    }

    private Identity leaf(String file, String commonName, List<String> names, KeyPair keys, Instant[] validity, boolean client) {
        X509Certificate certificate = issue("CN=" + commonName, keys, intermediate.certificate().getSubjectX500Principal().getName(),
                intermediate.key(), validity[0], validity[1], false, names, client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth);
        return new Identity(file, keys.getPrivate(), certificate, List.of(certificate, intermediate.certificate()));
    }

    private static X509Certificate issue(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
                                         Instant notBefore, Instant notAfter, boolean ca, List<String> names,
                                         KeyPurposeId purpose) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), subjectKeys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, ca
                    ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                    : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (purpose != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (!names.isEmpty()) {
                List<GeneralName> general = new ArrayList<>();
                for (String name : names) {
                    String value = name.substring(name.indexOf(':') + 1);
                    general.add(name.startsWith("IP:") ? new GeneralName(GeneralName.iPAddress, value)
                            : new GeneralName(GeneralName.dNSName, value));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(general.toArray(GeneralName[]::new)));
            }
            ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(issuerKey)).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("could not issue a test certificate for " + subject, e);
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
    }

    /** @return a fresh P-256 key pair */
    public static KeyPair ecKeys() {
        return keys("EC", new ECGenParameterSpec("secp256r1"));
    }

    /** @return a fresh 2048-bit RSA key pair */
    public static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keys(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                generator.initialize(spec);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return any key or certificate as PEM, in the form BouncyCastle writes it */
    public static String pem(Object object) {
        try {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(object instanceof PrivateKey key
                        ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate()
                        : object);
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
