package dev.securenet.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when any {@code securenet.acceptors.*} or {@code securenet.sockets.*} property exists.
 * It only looks at property names: the registrar binds the entries.
 */
class OnSecurenetEndpointsCondition extends SpringBootCondition {

    private static final ConfigurationPropertyName ACCEPTORS = ConfigurationPropertyName.of("securenet.acceptors");
    private static final ConfigurationPropertyName SOCKETS = ConfigurationPropertyName.of("securenet.sockets");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
            if (source.containsDescendantOf(ACCEPTORS) == ConfigurationPropertyState.PRESENT
                    || source.containsDescendantOf(SOCKETS) == ConfigurationPropertyState.PRESENT) {
                return ConditionOutcome.match("securenet endpoints are configured");
            }
        }
        return ConditionOutcome.noMatch("no securenet.acceptors.* or securenet.sockets.* entries");
    }
}
