package dev.securenet.internal.trust;

import dev.securenet.CertificateChain;
import dev.securenet.CertificateVerifier;
import dev.securenet.SecureConnectionException.Reason;
import dev.securenet.internal.net.HostNames;
import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The one trust decision of an endpoint: either the custom {@link CertificateVerifier} alone, or the
 * JDK's PKIX validation over the given anchors with hostname verification (which JSSE performs when
 * the connection's endpoint identification algorithm is set), followed by the endpoint's additional
 * check if it has one. A refusal is thrown as a {@link CertificateFailure} that carries its
 * {@link Reason}.
 */
public final class PeerTrustManager extends X509ExtendedTrustManager {

    /**
     * Certificate evaluations begun on each thread. A handshake runs on the thread that started it,
     * and only a full one evaluates the peer's certificate: a resumed one proves itself with the
     * session's secret instead. So this tells resumption apart with any provider.
     */
    private static final ThreadLocal<int[]> EVALUATIONS = ThreadLocal.withInitial(() -> new int[1]);

    private final X509ExtendedTrustManager pkix;
    private final CertificateVerifier verifier;
    private final CertificateVerifier check;

    private PeerTrustManager(X509ExtendedTrustManager pkix, CertificateVerifier verifier, CertificateVerifier check) {
        this.pkix = pkix;
        this.verifier = verifier;
        this.check = check;
    }

    /**
     * @param verifier decides alone; no PKIX validation, no hostname check
     * @return a trust manager delegating to the verifier
     */
    public static PeerTrustManager verifiedBy(CertificateVerifier verifier) {
        return new PeerTrustManager(null, Objects.requireNonNull(verifier, "verifier"), null);
    }

    /**
     * @param anchors the roots to validate against
     * @param check   runs once PKIX validation (and hostname verification) succeeded, or {@code null}
     * @return a PKIX trust manager over these roots
     */
    public static PeerTrustManager anchoredAt(Collection<X509Certificate> anchors, CertificateVerifier check) {
        return new PeerTrustManager(Pkix.trustManager(anchors), null, check);
    }

    /**
     * TLS 1.3 authenticates servers by signature whatever the key exchange: the JDK's provider names
     * that {@code UNKNOWN}, which its validator checks as "the key may sign"; Conscrypt names it
     * {@code GENERIC}, which the validator does not know and would refuse every server for.
     */
    private static String serverAuthType(String authType) {
        return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String tlsAuthType, Socket socket) throws CertificateException {
        String authType = serverAuthType(tlsAuthType);
        String host = socket instanceof SSLSocket ssl ? peerHost(ssl.getHandshakeSession()) : null;
        boolean identity = socket instanceof SSLSocket ssl && checksIdentity(ssl.getSSLParameters());
        check(chain, host, "server", identity,
                () -> pkix.checkServerTrusted(chain, authType, socket),
                () -> pkix.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String tlsAuthType, SSLEngine engine) throws CertificateException {
        String authType = serverAuthType(tlsAuthType);
        String host = engine == null ? null : peerHost(engine.getHandshakeSession());
        boolean identity = engine != null && checksIdentity(engine.getSSLParameters());
        check(chain, host, "server", identity,
                () -> pkix.checkServerTrusted(chain, authType, engine),
                () -> pkix.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String tlsAuthType) throws CertificateException {
        String authType = serverAuthType(tlsAuthType);
        check(chain, null, "server", false,
                () -> pkix.checkServerTrusted(chain, authType),
                () -> pkix.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, null, "client", false,
                () -> pkix.checkClientTrusted(chain, authType, socket),
                () -> pkix.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, null, "client", false,
                () -> pkix.checkClientTrusted(chain, authType, engine),
                () -> pkix.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, null, "client", false,
                () -> pkix.checkClientTrusted(chain, authType),
                () -> pkix.checkClientTrusted(chain, authType));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix == null ? new X509Certificate[0] : pkix.getAcceptedIssuers();
    }

    @FunctionalInterface
    private interface Check {
        void run() throws CertificateException;
    }

    /** @return how many certificate evaluations have begun on this thread: compare before and after a handshake */
    public static int evaluationsOnThisThread() {
        return EVALUATIONS.get()[0];
    }

    private void check(X509Certificate[] chain, String host, String peer, boolean identity,
                       Check full, Check withoutIdentity) throws CertificateException {
        EVALUATIONS.get()[0]++;
        if (chain == null || chain.length == 0) {
            throw new CertificateFailure(Reason.CERTIFICATE_REQUIRED, "The " + peer + " presented no certificate.", null);
        }
        if (verifier != null) {
            verify(verifier, "certificate verifier", chain, host, peer);
            return;
        }
        try {
            full.run();
        } catch (CertificateException e) {
            throw classify(chain, host, peer, identity, withoutIdentity, e);
        }
        if (check != null) {
            verify(check, "certificate check", chain, host, peer);
        }
    }

    private static void verify(CertificateVerifier verifier, String what, X509Certificate[] chain, String host, String peer)
            throws CertificateFailure {
        CertificateChain offered = CertificateChain.of(List.of(chain), host);
        boolean accepted;
        try {
            accepted = verifier.verify(offered);
        } catch (RuntimeException e) {
            throw new CertificateFailure(Reason.VERIFIER_REJECTED, "The " + what + " threw while checking the "
                    + peer + "'s certificate " + subject(chain[0]) + ": " + e + ". A verifier that throws rejects.", e);
        }
        if (!accepted) {
            throw new CertificateFailure(Reason.VERIFIER_REJECTED,
                    "The " + what + " rejected the " + peer + "'s certificate " + subject(chain[0]) + ".", null);
        }
    }

    private static CertificateFailure classify(X509Certificate[] chain, String host, String peer, boolean identity,
                                               Check withoutIdentity, CertificateException failure) {
        if (identity && passes(withoutIdentity)) {
            return new CertificateFailure(Reason.HOST_MISMATCH, hostMismatch(chain[0], host), failure);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException
                    || cause instanceof CertPathValidatorException cpve && cpve.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return expired(chain, peer, failure);
            }
            if (cause instanceof CertificateNotYetValidException
                    || cause instanceof CertPathValidatorException cpve && cpve.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return notYetValid(chain, peer, failure);
            }
        }
        // the path builder skips certificates outside their validity, then reports only "no path"
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException e) {
                return expired(chain, peer, failure);
            } catch (CertificateNotYetValidException e) {
                return notYetValid(chain, peer, failure);
            }
        }
        return new CertificateFailure(Reason.UNTRUSTED_CERTIFICATE, "The " + peer + "'s certificate " + subject(chain[0])
                + " (issued by " + chain[chain.length - 1].getIssuerX500Principal().getName()
                + ") does not lead to a trusted root: " + failure.getMessage()
                + ". Trust its root with SecurityProperties.useTrustedCertificates(pem), or decide yourself with a CertificateVerifier.",
                failure);
    }

    private static CertificateFailure expired(X509Certificate[] chain, String peer, CertificateException failure) {
        X509Certificate stale = chain[0];
        for (X509Certificate certificate : chain) {
            if (certificate.getNotAfter().getTime() < System.currentTimeMillis()) {
                stale = certificate;
                break;
            }
        }
        return new CertificateFailure(Reason.CERTIFICATE_EXPIRED, "The " + peer + "'s certificate chain has expired: "
                + subject(stale) + " was valid until " + stale.getNotAfter().toInstant() + ".", failure);
    }

    private static CertificateFailure notYetValid(X509Certificate[] chain, String peer, CertificateException failure) {
        X509Certificate early = chain[0];
        for (X509Certificate certificate : chain) {
            if (certificate.getNotBefore().getTime() > System.currentTimeMillis()) {
                early = certificate;
                break;
            }
        }
        return new CertificateFailure(Reason.CERTIFICATE_NOT_YET_VALID, "The " + peer + "'s certificate chain is not valid yet: "
                + subject(early) + " is valid from " + early.getNotBefore().toInstant()
                + " (check this machine's clock).", failure);
    }

    private static boolean passes(Check check) {
        try {
            check.run();
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }

    private static String hostMismatch(X509Certificate leaf, String host) {
        String message = "The server's certificate " + subject(leaf) + " is valid for " + names(leaf)
                + " but not for '" + host + "'.";
        if (host != null && HostNames.isIpLiteral(host)) {
            message += " The socket connected to an IP address and was given no host name: call "
                    + "securityProperties().setHost(\"name.in.certificate\") before connect().";
        }
        return message;
    }

    private static String names(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    Object type = name.get(0);
                    if (Integer.valueOf(2).equals(type)) {
                        names.add("DNS:" + name.get(1));
                    } else if (Integer.valueOf(7).equals(type)) {
                        names.add("IP:" + name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // fall through to "no names": the message is still true
        }
        return names.isEmpty() ? "no DNS or IP name" : String.join(", ", names);
    }

    private static String subject(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "'";
    }

    private static String peerHost(SSLSession session) {
        return session == null ? null : session.getPeerHost();
    }

    private static boolean checksIdentity(SSLParameters parameters) {
        String algorithm = parameters.getEndpointIdentificationAlgorithm();
        return algorithm != null && !algorithm.isEmpty();
    }
}
