package dev.securenet.internal.trust;

import dev.securenet.SecureConnectionException.Reason;
import java.security.cert.CertificateException;

/**
 * A refused peer chain, already classified. JSSE keeps it as the cause of the handshake
 * exception, which is how the socket learns the {@link Reason} without parsing messages.
 */
public final class CertificateFailure extends CertificateException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    CertificateFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return why the chain was refused */
    public Reason reason() {
        return reason;
    }
}
