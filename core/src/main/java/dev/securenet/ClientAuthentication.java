package dev.securenet;

/**
 * Whether an acceptor asks its clients for certificates. Never inferred: an acceptor judges client
 * certificates only when told to, and then only against what it was given to judge them with
 * ({@link SecurityProperties#useTrustedCertificates(String) trusted certificates} or a
 * {@link CertificateVerifier}), never the public roots, which prove nothing about who a client is.
 */
public enum ClientAuthentication {

    /** Clients are not asked for certificates (the default). */
    NONE,

    /** Clients are asked; one that presents a certificate must pass, one that presents none is served. */
    OPTIONAL,

    /** Clients must present a certificate that passes; the handshake fails otherwise. */
    REQUIRED
}
