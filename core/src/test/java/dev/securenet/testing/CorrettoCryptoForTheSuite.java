package dev.securenet.testing;

import dev.securenet.CorrettoCrypto;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs the whole suite with the Amazon Corretto Crypto Provider installed, as
 * {@link CorrettoCrypto#install()} installs it for an application, when the build asks for that
 * ({@value #PROPERTY}{@code =true}: the core pom's "corretto" test execution).
 */
public final class CorrettoCryptoForTheSuite implements LauncherSessionListener {

    /** The system property that asks for it. */
    public static final String PROPERTY = "securenet.test.correttoCrypto";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (Boolean.getBoolean(PROPERTY)) {
            CorrettoCrypto.install();
        }
    }
}
