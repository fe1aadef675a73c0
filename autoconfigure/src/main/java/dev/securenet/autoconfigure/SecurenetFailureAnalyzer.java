package dev.securenet.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a bad {@code securenet.*} entry at startup instead of a stack trace. */
class SecurenetFailureAnalyzer extends AbstractFailureAnalyzer<SecurenetConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecurenetConfigurationException cause) {
        return new FailureAnalysis("The securenet endpoint configuration is not usable.\n\n"
                + "    Property: " + cause.property() + "\n"
                + "    Problem:  " + cause.description(),
                cause.action(), cause);
    }
}
