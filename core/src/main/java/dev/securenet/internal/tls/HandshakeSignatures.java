package dev.securenet.internal.tls;

import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses SHA-1 and SHA-224 for the signatures of a handshake (TLS 1.3 CertificateVerify, TLS 1.2
 * ServerKeyExchange and CertificateVerify), whatever the peer offers: RFC 8446 §4.4.3 forbids SHA-1
 * there, and SHA-224 is below the security of every curve and key we accept. A peer that offers
 * nothing else gets a handshake_failure alert. Only the TLS signature scheme names are refused: the
 * JDK's own constraints (jdk.tls.disabledAlgorithms, jdk.certpath.disabledAlgorithms) still apply on
 * top, and certificate chains are judged by the trust decision, not here.
 */
final class HandshakeSignatures implements AlgorithmConstraints {

    static final HandshakeSignatures INSTANCE = new HandshakeSignatures();

    /**
     * RFC 8446 §4.2.3 / RFC 5246 names, as the JDK checks them for each signature scheme; compared
     * without regard to case and without a lower-cased copy, since every handshake asks many times.
     */
    private static final Set<String> REFUSED = ignoringCase(
            "ecdsa_sha1", "rsa_pkcs1_sha1", "dsa_sha1",
            "ecdsa_sha224", "rsa_sha224", "dsa_sha224", "dsa_sha256");

    private HandshakeSignatures() {
    }

    private static Set<String> ignoringCase(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return Collections.unmodifiableSet(set);
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
        return algorithm == null || !REFUSED.contains(algorithm);
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
        return true;
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters parameters) {
        return permits(primitives, algorithm, parameters);
    }
}
