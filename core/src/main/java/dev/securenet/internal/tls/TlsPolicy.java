package dev.securenet.internal.tls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The one place that decides what TLS and DTLS we speak: TLS 1.3 and 1.2, DTLS 1.2; AEAD cipher
 * suites with forward secrecy from ECDHE (finite-field DHE only where an endpoint asks for it: RFC
 * 9325 §4.5); handshake signatures never with SHA-1 or SHA-224; named groups left to the provider.
 */
public final class TlsPolicy {

    /** Preference order. */
    static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** DTLS 1.0 is obsolete (RFC 8996); the JDK has no DTLS 1.3. */
    static final List<String> DTLS_PROTOCOLS = List.of("DTLSv1.2");

    /** TLS 1.3 suites are all AEAD; the TLS 1.2 ones are ECDHE with GCM or ChaCha20-Poly1305. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Offered after the ECDHE suites, and only by endpoints that enable finite-field DHE. */
    static final List<String> FINITE_FIELD_DHE_SUITES = List.of(
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }

    /**
     * @param factory        a "TLS" context's socket factory, whose provider decides what is supported
     * @param finiteFieldDhe whether to offer finite-field DHE suites too
     * @return parameters carrying this policy, ready for role-specific additions
     */
    static SSLParameters tls(SSLSocketFactory factory, boolean finiteFieldDhe) throws IOException {
        // asked of a socket closed here: SSLContext's own getters make one and leave it open, which
        // for Conscrypt is native state (and a pipe) left to the garbage collector
        try (SSLSocket probe = (SSLSocket) factory.createSocket()) {
            SSLParameters supported = new SSLParameters(probe.getSupportedCipherSuites(), probe.getSupportedProtocols());
            return parameters(probe.getSSLParameters(), supported, TLS_PROTOCOLS, finiteFieldDhe);
        }
    }

    /**
     * @param context        a "DTLS" context, whose provider decides what is supported
     * @param finiteFieldDhe whether to offer finite-field DHE suites too
     * @return parameters carrying this policy, ready for role-specific additions
     */
    public static SSLParameters dtls(SSLContext context, boolean finiteFieldDhe) {
        return parameters(context.getDefaultSSLParameters(), context.getSupportedSSLParameters(), DTLS_PROTOCOLS, finiteFieldDhe);
    }

    private static SSLParameters parameters(SSLParameters parameters, SSLParameters supported, List<String> protocols,
                                            boolean finiteFieldDhe) {
        parameters.setProtocols(intersect(protocols, Set.of(supported.getProtocols())));
        List<String> suites = new ArrayList<>(CIPHER_SUITES);
        if (finiteFieldDhe) {
            suites.addAll(FINITE_FIELD_DHE_SUITES);
        }
        parameters.setCipherSuites(intersect(suites, Set.of(supported.getCipherSuites())));
        parameters.setUseCipherSuitesOrder(true);
        parameters.setAlgorithmConstraints(HandshakeSignatures.INSTANCE);
        return parameters;
    }

    /**
     * @param template parameters from {@link #tls} or {@link #dtls}
     * @return fresh parameters with the template's policy and client authentication, made without
     *         asking the provider again: what a connection adds to them (its host) stays its own
     */
    public static SSLParameters copyOf(SSLParameters template) {
        SSLParameters copy = new SSLParameters(template.getCipherSuites(), template.getProtocols());
        copy.setUseCipherSuitesOrder(template.getUseCipherSuitesOrder());
        copy.setAlgorithmConstraints(template.getAlgorithmConstraints());
        if (template.getNeedClientAuth()) {
            copy.setNeedClientAuth(true);
        } else if (template.getWantClientAuth()) {
            copy.setWantClientAuth(true);
        }
        return copy;
    }

    private static String[] intersect(List<String> wanted, Set<String> supported) {
        List<String> result = new ArrayList<>();
        for (String name : wanted) {
            if (supported.contains(name)) {
                result.add(name);
            }
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("the TLS provider supports none of " + wanted);
        }
        return result.toArray(String[]::new);
    }
}
