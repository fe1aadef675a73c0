package dev.securenet.internal.pem;

import dev.securenet.KeyMaterialException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Checks that a private key belongs to a certificate by signing with the one and verifying with
 * the other: it works for every key type the JDK can sign with, without comparing key internals.
 */
public final class KeyMatch {

    private static final byte[] PROBE = "securenet key match probe".getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {
    }

    /**
     * @param key  the private key
     * @param leaf the certificate the key must belong to
     * @throws KeyMaterialException if it does not
     */
    public static void requireMatch(PrivateKey key, X509Certificate leaf) {
        PublicKey publicKey = leaf.getPublicKey();
        String subject = leaf.getSubjectX500Principal().getName();
        if (!family(key.getAlgorithm()).equals(family(publicKey.getAlgorithm()))) {
            throw mismatch(key, subject, publicKey);
        }
        try {
            Signature signer = signature(key.getAlgorithm(), publicKey.getAlgorithm());
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = signature(key.getAlgorithm(), publicKey.getAlgorithm());
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            if (!verifier.verify(signature)) {
                throw mismatch(key, subject, publicKey);
            }
        } catch (GeneralSecurityException e) {
            throw new KeyMaterialException("Could not check that the private key (" + key.getAlgorithm()
                    + ") belongs to the leaf certificate " + subject + ": " + e.getMessage(), e);
        }
    }

    private static KeyMaterialException mismatch(PrivateKey key, String subject, PublicKey publicKey) {
        return new KeyMaterialException("The private key (" + key.getAlgorithm()
                + ") does not belong to the leaf certificate " + subject + " (" + publicKey.getAlgorithm()
                + " public key): give the key that was used to request that certificate, and the chain leaf first.",
                null);
    }

    private static String family(String algorithm) {
        return switch (algorithm) {
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            case "RSASSA-PSS", "RSA" -> "RSA";
            case "ECDSA", "EC" -> "EC";
            default -> algorithm;
        };
    }

    private static Signature signature(String keyAlgorithm, String publicKeyAlgorithm)
            throws GeneralSecurityException {
        if ("RSASSA-PSS".equals(keyAlgorithm) || "RSASSA-PSS".equals(publicKeyAlgorithm)) {
            // PSS works with plain RSA keys too, and a PSS-restricted key accepts nothing else
            Signature pss = Signature.getInstance("RSASSA-PSS");
            pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            return pss;
        }
        return Signature.getInstance(switch (keyAlgorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> keyAlgorithm; // Ed25519, Ed448 and EdDSA name their own signature algorithm
        });
    }
}
