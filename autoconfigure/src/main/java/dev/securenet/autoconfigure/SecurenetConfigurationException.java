package dev.securenet.autoconfigure;

/**
 * A {@code securenet.*} entry cannot be turned into a working endpoint. Carries what the failure
 * analyzer shows: the property at fault, what is wrong and what to do.
 */
public class SecurenetConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String description;
    private final String action;

    /**
     * @param property    the property at fault, e.g. {@code securenet.acceptors.hello.private-key}
     * @param description what is wrong
     * @param action      what to do about it
     * @param cause       the underlying failure, may be {@code null}
     */
    public SecurenetConfigurationException(String property, String description, String action, Throwable cause) {
        super(property + ": " + description, cause);
        this.property = property;
        this.description = description;
        this.action = action;
    }

    /** @return the property at fault */
    public String property() {
        return property;
    }

    /** @return what is wrong */
    public String description() {
        return description;
    }

    /** @return what to do about it */
    public String action() {
        return action;
    }
}
