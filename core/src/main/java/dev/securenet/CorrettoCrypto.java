package dev.securenet;

import java.lang.reflect.InvocationTargetException;
import java.security.Provider;
import java.security.Security;

/**
 * The Amazon Corretto Crypto Provider (AWS-LC inside) under the JDK's own TLS and DTLS: the JDK's
 * protocol code, and securenet's around it, stay as they are, while the elliptic-curve, RSA, AES-GCM
 * and hash primitives they call run in native code, several times faster for handshakes.
 *
 * <p><strong>This changes the whole JVM, not only securenet.</strong> The JDK's TLS finds its
 * primitives through the JVM's list of security providers, and cannot be given a provider of its
 * own; so {@link #install()} puts this one first in that list, and every user of
 * {@code java.security} and {@code javax.crypto} in the JVM (other libraries' TLS, signatures,
 * ciphers, {@code SecureRandom}) then gets its implementations where it has them. Nothing installs
 * it but a call to {@link #install()} (or, in the starter, {@code
 * securenet.install-corretto-crypto-provider: true}), and that call logs a warning that says so.
 *
 * <p>It needs {@code software.amazon.cryptools:AmazonCorrettoCryptoProvider} with the classifier of
 * the platform ({@code linux-x86_64}, {@code linux-aarch_64}) on the class path. It is looked up by
 * name, so securenet does not depend on it.
 */
public final class CorrettoCrypto {

    private static final System.Logger LOG = System.getLogger(CorrettoCrypto.class.getName());
    private static final String PROVIDER_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    private static final String ARTIFACT = "software.amazon.cryptools:AmazonCorrettoCryptoProvider (classifier linux-x86_64"
            + " or linux-aarch_64)";

    private CorrettoCrypto() {
    }

    /**
     * Installs the provider as the JVM's most preferred one, after checking that its native code
     * loaded and its self-tests pass. Calling it again does nothing.
     *
     * @return the installed provider's name and version, as it reports them
     * @throws IllegalStateException if it is not on the class path, its native code does not load on
     *                               this machine, or its self-tests fail: nothing is installed then
     */
    public static synchronized String install() {
        Provider provider = healthyProvider();
        String description = provider.getName() + " " + provider.getVersionStr();
        Provider[] providers = Security.getProviders();
        if (providers.length > 0 && providers[0].getName().equals(provider.getName())) {
            return description;
        }
        Security.removeProvider(provider.getName()); // installed lower down by someone else: move it up
        Security.insertProviderAt(provider, 1);
        LOG.log(System.Logger.Level.WARNING, "{0} is now the JVM''s most preferred security provider: every"
                + " java.security and javax.crypto user in this JVM, not only securenet, uses its implementations"
                + " (AWS-LC) where it has them", description);
        return description;
    }

    /** @return whether the provider is installed as the JVM's most preferred one */
    public static boolean isInstalled() {
        Provider[] providers = Security.getProviders();
        return providers.length > 0 && providers[0].getClass().getName().equals(PROVIDER_CLASS);
    }

    private static Provider healthyProvider() {
        Class<?> type;
        try {
            type = Class.forName(PROVIDER_CLASS, true, CorrettoCrypto.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("The Amazon Corretto Crypto Provider is not on the class path: add "
                    + ARTIFACT + ".", e);
        } catch (LinkageError e) {
            throw unusable(e);
        }
        try {
            Provider provider = (Provider) type.getField("INSTANCE").get(null);
            Throwable loading = (Throwable) type.getMethod("getLoadingError").invoke(provider);
            if (loading != null) {
                throw unusable(loading);
            }
            type.getMethod("assertHealthy").invoke(provider);
            return provider;
        } catch (InvocationTargetException e) {
            throw unusable(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This version of the Amazon Corretto Crypto Provider is not one securenet"
                    + " knows how to check: " + e, e);
        }
    }

    private static IllegalStateException unusable(Throwable cause) {
        return new IllegalStateException("The Amazon Corretto Crypto Provider does not work on this machine ("
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): " + cause
                + ". Nothing was installed.", cause);
    }
}
