package dev.securenet.internal.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The peer's certificate chain of a JSSE session, for TLS and DTLS alike. */
public final class PeerChains {

    private PeerChains() {
    }

    /**
     * @param session an established session
     * @return the chain the peer presented, leaf first; empty if it presented none
     */
    public static List<X509Certificate> of(SSLSession session) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                chain.add((X509Certificate) certificate);
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }
}
