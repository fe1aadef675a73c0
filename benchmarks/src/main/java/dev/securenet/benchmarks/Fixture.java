package dev.securenet.benchmarks;

import dev.securenet.SelfSignedIdentity;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * What both sides share: one P-256 certificate for localhost and 127.0.0.1 with its key, and the
 * raw JDK's configuration, written out here so that the baselines run none of securenet's code
 * (securenet only makes the certificate). The raw side is configured as securenet configures
 * itself: TLS 1.3 and 1.2 (DTLS 1.2), the same AEAD suites in the same order, hostname
 * verification, SNI, TCP_NODELAY.
 */
final class Fixture {

    static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    static final String[] DTLS_PROTOCOLS = {"DTLSv1.2"};
    static final String[] SUITES = {
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};
    /** The DTLS MTU of both sides, and the messages of the DTLS bulk scenario. */
    static final int MTU = 1200;
    static final int DTLS_MESSAGE = 1024;

    final SelfSignedIdentity identity = SelfSignedIdentity.forLocalhost(Duration.ofDays(365));
    /** What raw clients trust: this fixture's certificate, or another process's ({@link #trust}). */
    private java.security.cert.X509Certificate trusted = identity.certificate();
    /** Client connections alternate between these when sessions must not resume. */
    final List<String> hosts;

    Fixture(boolean fullHandshakesOnly) {
        hosts = fullHandshakesOnly ? List.of("localhost", "127.0.0.1") : List.of("localhost");
    }

    String host(long connection) {
        return hosts.get((int) (connection % hosts.size()));
    }

    /** Trusts the certificate of a server in another process instead (base64 DER). */
    void trust(String base64) throws java.security.cert.CertificateException {
        trusted = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64)));
    }

    /** @return a raw context ("TLS" or "DTLS") holding our key, or trusting our certificate */
    SSLContext rawContext(String protocol, boolean server) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        SSLContext context = SSLContext.getInstance(protocol);
        if (server) {
            char[] password = "benchmark".toCharArray();
            store.setKeyEntry("server", identity.privateKey(), password, new Certificate[] {identity.certificate()});
            KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
            keys.init(store, password);
            context.init(keys.getKeyManagers(), null, null);
        } else {
            store.setCertificateEntry("root", trusted);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(store);
            context.init(null, trust.getTrustManagers(), null);
        }
        return context;
    }

    /** @return raw parameters as securenet sets them, for a client of {@code host} or a server */
    static SSLParameters rawParameters(SSLContext context, boolean dtls, String host) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(dtls ? DTLS_PROTOCOLS : TLS_PROTOCOLS);
        parameters.setCipherSuites(SUITES);
        parameters.setUseCipherSuitesOrder(true);
        if (host != null) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!Character.isDigit(host.charAt(0))) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
        }
        if (dtls) {
            parameters.setMaximumPacketSize(MTU);
        }
        return parameters;
    }
}
