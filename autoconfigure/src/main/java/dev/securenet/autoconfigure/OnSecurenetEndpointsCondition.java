package dev.securenet.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when at least one {@code securenet.acceptors.*} or {@code securenet.sockets.*} entry exists. */
class OnSecurenetEndpointsCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        SecurenetProperties entries = Binder.get(context.getEnvironment()).bind("securenet", SecurenetProperties.class)
                .orElseGet(SecurenetProperties::new);
        int count = entries.getAcceptors().size() + entries.getSockets().size();
        return count > 0 ? ConditionOutcome.match(count + " securenet endpoint(s) configured")
                : ConditionOutcome.noMatch("no securenet.acceptors.* or securenet.sockets.* entries");
    }
}
