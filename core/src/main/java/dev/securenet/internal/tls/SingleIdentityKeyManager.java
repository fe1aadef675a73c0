package dev.securenet.internal.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents exactly the chain the program configured. The JDK's "PKIX" key manager would refuse an
 * expired or weak chain and silently present nothing; P1861R0's own example serves such a test
 * certificate, so we present what we were given and warn about it at configuration time instead.
 *
 * <p>What the peer said it can verify is honoured as the JDK's key manager honours it: a chain with
 * a certificate signed by an algorithm outside the peer's {@code signature_algorithms_cert} (or
 * {@code signature_algorithms}) is not presented, and the handshake fails with an alert instead of
 * sending a chain the peer declared it cannot check (RFC 5246 §7.4.2). A self-signed certificate at
 * the end of the chain is exempt: it can only be a trust anchor, whose signature is never verified
 * (RFC 8446 §4.4.2.2).
 */
final class SingleIdentityKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "securenet";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleIdentityKeyManager(PrivateKey key, List<X509Certificate> chain) {
        this.key = key;
        this.chain = chain.toArray(X509Certificate[]::new);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return matches(keyType) && verifiableBy(handshakeSession(socket)) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return matches(keyType) && verifiableBy(engine == null ? null : engine.getHandshakeSession()) ? ALIAS : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return anyMatches(keyTypes) && verifiableBy(handshakeSession(socket)) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return anyMatches(keyTypes) && verifiableBy(engine == null ? null : engine.getHandshakeSession()) ? ALIAS : null;
    }

    private static SSLSession handshakeSession(Socket socket) {
        return socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
    }

    /** @return whether the peer declared it can verify every signature in our chain (or declared nothing) */
    private boolean verifiableBy(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession extended)) {
            return true;
        }
        String[] accepted = extended.getPeerSupportedSignatureAlgorithms();
        if (accepted == null || accepted.length == 0) {
            return true;
        }
        for (int i = 0; i < chain.length; i++) {
            X509Certificate certificate = chain[i];
            boolean trustAnchor = i == chain.length - 1
                    && certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
            if (!trustAnchor && !contains(accepted, certificate.getSigAlgName())) {
                return false;
            }
        }
        return true;
    }

    /** The JDK names signature schemes by their JCA algorithm ("SHA256withECDSA", "RSASSA-PSS", "Ed25519"), as certificates do. */
    private static boolean contains(String[] accepted, String algorithm) {
        for (String name : accepted) {
            if (name.equalsIgnoreCase(algorithm)
                    || name.equalsIgnoreCase("Ed25519") && algorithm.equalsIgnoreCase("EdDSA")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    private boolean anyMatches(String[] keyTypes) {
        if (keyTypes == null) {
            return false;
        }
        for (String keyType : keyTypes) {
            if (matches(keyType)) {
                return true;
            }
        }
        return false;
    }

    /** JSSE asks by key type: "RSA", "RSASSA-PSS", "EC", "EdDSA". */
    private boolean matches(String wanted) {
        if (wanted == null) {
            return false;
        }
        String have = key.getAlgorithm();
        return wanted.equalsIgnoreCase(have)
                || wanted.equals("EdDSA") && (have.equals("Ed25519") || have.equals("Ed448"))
                || wanted.equals("EC") && have.equals("ECDSA");
    }
}
