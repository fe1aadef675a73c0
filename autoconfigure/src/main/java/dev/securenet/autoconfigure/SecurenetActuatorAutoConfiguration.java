package dev.securenet.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Actuator health and info for the securenet endpoints, when the application has them (nothing
 * otherwise): the {@code securenet} health component ({@code management.health.securenet.enabled})
 * and the {@code securenet} info ({@code management.info.securenet.enabled}).
 */
@AutoConfiguration(after = SecurenetAutoConfiguration.class)
@Conditional(OnSecurenetEndpointsCondition.class)
public class SecurenetActuatorAutoConfiguration {

    /** Boot's own threshold for certificates about to expire, used for ours as well. */
    static final String WARNING_THRESHOLD = "management.health.ssl.certificate-validity-warning-threshold";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
    @ConditionalOnEnabledHealthIndicator("securenet")
    static class Health {

        @Bean
        EndpointHealthContributor securenetHealthContributor(SecurenetEndpoints endpoints, Environment environment) {
            Duration threshold = Binder.get(environment).bind(WARNING_THRESHOLD, Duration.class).orElse(Duration.ofDays(14));
            return new EndpointHealthContributor(endpoints, threshold, Clock.systemUTC());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(InfoContributor.class)
    @ConditionalOnBooleanProperty(name = "management.info.securenet.enabled", matchIfMissing = true)
    static class Info {

        @Bean
        EndpointInfoContributor securenetInfoContributor(SecurenetEndpoints endpoints) {
            return new EndpointInfoContributor(endpoints);
        }
    }
}
