package dev.securenet;

/**
 * Decides whether a peer's certificate chain is acceptable, replacing the default evaluation
 * (system trusted roots and, for clients, hostname verification).
 *
 * <p>As P1861R0 warns, a custom verifier can easily allow man-in-the-middle attacks: it is the whole
 * of the trust decision. A verifier that throws is treated as one that returned {@code false}.
 *
 * <pre>{@code
 * socket.securityProperties().useCertificateVerifier(chain -> chain.leaf().equals(pinned));
 * }</pre>
 */
@FunctionalInterface
public interface CertificateVerifier {

    /**
     * Evaluates the chain the peer presented.
     *
     * @param chain the peer's chain, leaf first, with the host the socket expected (if any)
     * @return {@code true} to accept the peer, {@code false} to fail the handshake with
     *         {@link SecureConnectionException.Reason#VERIFIER_REJECTED}
     */
    boolean verify(CertificateChain chain);
}
