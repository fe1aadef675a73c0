package dev.securenet.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Micrometer meters and observations for the securenet endpoints, when the application has a
 * {@link MeterRegistry} (Actuator, or Boot's Micrometer starter); nothing otherwise.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, ObservationRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@Conditional(OnSecurenetEndpointsCondition.class)
public class SecurenetMetricsAutoConfiguration {

    @Bean
    EndpointObservers securenetMicrometerObservers(MeterRegistry meters, ObjectProvider<ObservationRegistry> observations) {
        return new MicrometerEndpointObservers(meters, observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }
}
