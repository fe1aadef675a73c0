package dev.securenet.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a bad {@code securenet.*} entry at startup instead of a stack trace. Ordered first: our
 * failure may wrap Spring's (a missing bean, say), and the analysis must name the securenet
 * property, not Spring's generic "a component required a bean".
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurenetFailureAnalyzer extends AbstractFailureAnalyzer<SecurenetConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecurenetConfigurationException cause) {
        return new FailureAnalysis("The securenet endpoint configuration is not usable.\n\n"
                + "    Property: " + cause.property() + "\n"
                + "    Problem:  " + cause.description(),
                cause.action(), cause);
    }
}
