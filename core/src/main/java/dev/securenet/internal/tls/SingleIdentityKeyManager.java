package dev.securenet.internal.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents exactly the chain the program configured. The JDK's "PKIX" key manager would refuse an
 * expired or weak chain and silently present nothing; P1861R0's own example serves such a test
 * certificate, so we present what we were given and warn about it at configuration time instead.
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
        return matches(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return matches(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return anyMatches(keyTypes) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return anyMatches(keyTypes) ? ALIAS : null;
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
