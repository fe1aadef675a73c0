package dev.securenet;

/**
 * A private key or certificate given to {@link SecurityProperties} is unusable: malformed or empty
 * PEM, an encrypted key without (or with the wrong) password, a key that does not belong to the
 * leaf certificate. Thrown when the material is configured, never later during a handshake.
 */
public class KeyMaterialException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with the material, naming it
     * @param cause   the parser's failure, may be {@code null}
     */
    public KeyMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
