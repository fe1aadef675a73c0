package dev.securenet.autoconfigure;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Secure sockets and acceptors from {@code securenet.*}: each acceptor entry becomes a
 * {@link dev.securenet.TcpAcceptor} bean (bound when the context starts), each socket entry a
 * {@link TcpSocketFactory} bean, both named after the entry. Adds nothing when there are no entries.
 */
@AutoConfiguration(after = {SslAutoConfiguration.class, TaskExecutionAutoConfiguration.class})
@Conditional(OnSecurenetEndpointsCondition.class)
@EnableConfigurationProperties(SecurenetProperties.class)
@Import(SecurenetEndpointRegistrar.class)
public class SecurenetAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SecurenetEndpoints securenetEndpoints(SecurenetProperties properties, ResourceLoader resources, BeanFactory beans,
                                          ObjectProvider<SslBundles> bundles, Environment environment) {
        Path developmentCertificates = Path.of(environment.getProperty("java.io.tmpdir", "."), "securenet");
        EndpointConfigurer configurer = new EndpointConfigurer(resources, beans, bundles,
                new DevelopmentCertificates(developmentCertificates));
        return new SecurenetEndpoints(properties, configurer, executor(beans, environment));
    }

    /**
     * Boot's application task executor (virtual threads when {@code spring.threads.virtual.enabled}),
     * or, without one, a thread per task.
     */
    private static Executor executor(BeanFactory beans, Environment environment) {
        String name = TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME;
        if (beans.containsBean(name) && beans.isTypeMatch(name, Executor.class)) {
            return new LazyExecutor(beans, name);
        }
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("securenet-");
        executor.setVirtualThreads(environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false)
                && Runtime.version().feature() >= 21);
        return executor;
    }

    /** Looks the executor up on first use: it may be created after our beans. */
    private record LazyExecutor(BeanFactory beans, String name) implements Executor {
        @Override
        public void execute(Runnable task) {
            beans.getBean(name, Executor.class).execute(task);
        }
    }

    /** Registers the endpoints' own identities as SSL bundles for Boot's health, info and metrics. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SslBundleRegistrar.class)
    static class SslBundleRegistration {

        @Bean
        SslBundleRegistrar securenetSslBundleRegistrar(SecurenetEndpoints endpoints) {
            return new SecurenetSslBundleRegistrar(endpoints);
        }
    }
}
