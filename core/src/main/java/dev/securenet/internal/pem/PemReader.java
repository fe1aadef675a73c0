package dev.securenet.internal.pem;

import dev.securenet.KeyMaterialException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Parses private keys and certificates. Keys come out as the JDK's own key objects so that JSSE
 * signs with its usual providers; BouncyCastle only reads the encodings and decrypts.
 *
 * <p>Every failure is a {@link KeyMaterialException} naming what is wrong.
 */
public final class PemReader {

    /**
     * Decryption only (PBES2, scrypt, legacy OpenSSL ciphers): a private instance, never registered
     * globally, so the application's provider list is left alone.
     */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private PemReader() {
    }

    /**
     * Reads one private key: PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8
     * ({@code ENCRYPTED PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}, also with the legacy
     * {@code Proc-Type: 4,ENCRYPTED} header) or SEC1 ({@code EC PRIVATE KEY}).
     *
     * @param pem      the PEM text
     * @param password the password of an encrypted key, or {@code null}
     * @return the key
     */
    public static PrivateKey privateKey(String pem, char[] password) {
        if (pem == null || pem.isBlank()) {
            throw new KeyMaterialException("The private key is empty: expected a PEM block such as "
                    + "'-----BEGIN PRIVATE KEY-----'.", null);
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        List<String> seen = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    // not getKeyPair(): the public key is optional in SEC1 and often absent
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    requirePassword(password, "an encrypted PKCS#8 key ('ENCRYPTED PRIVATE KEY')");
                    try {
                        var decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password);
                        return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(decryptor));
                    } catch (PKCSException | OperatorCreationException e) {
                        throw wrongPassword("encrypted PKCS#8 key", e);
                    }
                }
                if (object instanceof PEMEncryptedKeyPair encrypted) {
                    requirePassword(password, "a legacy encrypted key ('Proc-Type: 4,ENCRYPTED')");
                    try {
                        var decryptor = new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password);
                        return converter.getPrivateKey(encrypted.decryptKeyPair(decryptor).getPrivateKeyInfo());
                    } catch (IOException e) {
                        throw wrongPassword("legacy encrypted key", e);
                    }
                }
                if (object instanceof ASN1ObjectIdentifier || object instanceof X9ECParameters) {
                    continue; // an 'EC PARAMETERS' block that openssl writes before SEC1 keys
                }
                seen.add(describe(object));
            }
        } catch (KeyMaterialException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new KeyMaterialException("The private key is not valid PEM: " + e.getMessage()
                    + ". Expected one complete '-----BEGIN ... PRIVATE KEY-----' ... '-----END ... PRIVATE KEY-----' block.", e);
        }
        throw new KeyMaterialException(seen.isEmpty()
                ? "No private key found: the text holds no PEM block ('-----BEGIN PRIVATE KEY-----' expected)."
                : "No private key found: the PEM holds " + String.join(", ", seen) + " but no private key.", null);
    }

    /**
     * Reads every certificate of a PEM text, in order.
     *
     * @param pem  PEM text with one or more {@code CERTIFICATE} blocks
     * @param what how to name this material in an error, e.g. "certificate chain"
     * @return the certificates, never empty
     */
    public static List<X509Certificate> certificates(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new KeyMaterialException("The " + what + " is empty: expected one or more "
                    + "'-----BEGIN CERTIFICATE-----' blocks.", null);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(certificate(holder.getEncoded(), what));
                } else {
                    other.add(describe(object));
                }
            }
        } catch (KeyMaterialException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new KeyMaterialException("The " + what + " is not valid PEM: " + e.getMessage()
                    + ". Expected complete '-----BEGIN CERTIFICATE-----' ... '-----END CERTIFICATE-----' blocks.", e);
        }
        if (certificates.isEmpty()) {
            throw new KeyMaterialException("The " + what + " holds no certificate"
                    + (other.isEmpty() ? " (no PEM block found)" : " (found " + String.join(", ", other) + ")")
                    + ": expected '-----BEGIN CERTIFICATE-----' blocks.", null);
        }
        return certificates;
    }

    /**
     * Parses one DER-encoded certificate.
     *
     * @param der  the encoding
     * @param what how to name this material in an error
     * @return the certificate
     */
    public static X509Certificate certificate(byte[] der, String what) {
        if (der == null || der.length == 0) {
            throw new KeyMaterialException("The " + what + " is empty: expected a DER-encoded X.509 certificate.", null);
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new KeyMaterialException("The " + what + " is not a valid DER-encoded X.509 certificate: "
                    + e.getMessage(), e);
        }
    }

    private static void requirePassword(char[] password, String what) {
        if (password == null || password.length == 0) {
            throw new KeyMaterialException("The private key is " + what
                    + " but no password was given: use usePrivateKey(pem, password).", null);
        }
    }

    private static KeyMaterialException wrongPassword(String what, Exception cause) {
        return new KeyMaterialException("Could not decrypt the " + what
                + ": the password is wrong or the key is damaged.", cause);
    }

    private static String describe(Object pemObject) {
        if (pemObject instanceof X509CertificateHolder) {
            return "a CERTIFICATE";
        }
        if (pemObject instanceof PrivateKeyInfo || pemObject instanceof PEMKeyPair
                || pemObject instanceof PKCS8EncryptedPrivateKeyInfo || pemObject instanceof PEMEncryptedKeyPair) {
            return "a PRIVATE KEY";
        }
        return "a " + pemObject.getClass().getSimpleName();
    }
}
