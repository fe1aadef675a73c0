package dev.securenet.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when any {@code securenet.*} property exists, so that a mistyped key
 * ({@code securenet.acceptor.hello.port}) is reported rather than ignored. It only looks at property
 * names: the registrar binds and checks the entries.
 */
class OnSecurenetEndpointsCondition extends SpringBootCondition {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("securenet");
    private static final ConfigurationPropertyName ACCEPTORS = ConfigurationPropertyName.of("securenet.acceptors");
    private static final ConfigurationPropertyName SOCKETS = ConfigurationPropertyName.of("securenet.sockets");
    private static final ConfigurationPropertyName CORRETTO = ConfigurationPropertyName.of("securenet.install-corretto-crypto-provider");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
            // environment variables are the whole machine's namespace: only SECURENET_ACCEPTORS_*,
            // SECURENET_SOCKETS_* and our root settings are ours there (as in SecurenetConfigurationChecks)
            boolean ours = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource
                    ? present(source, ACCEPTORS) || present(source, SOCKETS) || source.getConfigurationProperty(CORRETTO) != null
                    : present(source, ROOT);
            if (ours) {
                return ConditionOutcome.match("securenet.* properties are configured");
            }
        }
        return ConditionOutcome.noMatch("no securenet.* properties");
    }

    private static boolean present(ConfigurationPropertySource source, ConfigurationPropertyName name) {
        return source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT;
    }
}
