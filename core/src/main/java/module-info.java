/**
 * securenet: secure-by-default TCP (TLS) and UDP (DTLS) sockets and acceptors, after P1861R0.
 *
 * <p>Only {@code dev.securenet} is exported; the engines, PEM and trust code in
 * {@code dev.securenet.internal…} are not API and are not reachable from other modules.
 */
module dev.securenet {
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires static org.conscrypt; // optional: TlsProvider.CONSCRYPT
    requires java.management; // the CPU time DTLS cookies take

    exports dev.securenet;
}
