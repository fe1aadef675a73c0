package dev.securenet.autoconfigure;

import dev.securenet.TcpAcceptor;
import dev.securenet.UdpAcceptor;
import dev.securenet.autoconfigure.SecurenetProperties.Protocol;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one bean per {@code securenet.*} entry, named after it, so that services inject them
 * by name. The definitions name factory methods of {@link SecurenetEndpoints} with the entry's name
 * as argument (no instance suppliers), so Spring AOT can process them. The entries are checked
 * first ({@link SecurenetConfigurationChecks}); an entry whose name is taken by another bean fails
 * startup naming both.
 */
class SecurenetEndpointRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    /** The bean that makes the endpoints, named by the auto-configuration's factory method. */
    static final String ENDPOINTS = "securenetEndpoints";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        SecurenetProperties entries = Binder.get(environment).bind("securenet", SecurenetProperties.class)
                .orElseGet(SecurenetProperties::new);
        SecurenetConfigurationChecks.check(entries, environment);
        entries.getAcceptors().forEach((name, entry) -> {
            String prefix = SecurenetEndpoints.acceptorPrefix(name);
            boolean dtls = entry.getProtocol() == Protocol.DTLS;
            register(registry, prefix, name, factoryMethod(dtls ? UdpAcceptor.class : TcpAcceptor.class,
                    dtls ? "udpAcceptor" : "tcpAcceptor", name));
            RootBeanDefinition lifecycle = factoryMethod(AcceptorLifecycle.class, dtls ? "udpLifecycle" : "tcpLifecycle", name);
            lifecycle.getConstructorArgumentValues().addIndexedArgumentValue(1, new RuntimeBeanReference(name));
            register(registry, prefix, prefix + ".lifecycle", lifecycle);
        });
        entries.getSockets().forEach((name, entry) -> {
            boolean dtls = entry.getProtocol() == Protocol.DTLS;
            register(registry, SecurenetEndpoints.socketPrefix(name), name, factoryMethod(
                    dtls ? UdpSocketFactory.class : TcpSocketFactory.class, dtls ? "udpSocketFactory" : "tcpSocketFactory", name));
        });
    }

    private static RootBeanDefinition factoryMethod(Class<?> type, String method, String name) {
        RootBeanDefinition definition = new RootBeanDefinition();
        definition.setTargetType(type);
        definition.setFactoryBeanName(ENDPOINTS);
        definition.setFactoryMethodName(method);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
        return definition;
    }

    private static void register(BeanDefinitionRegistry registry, String prefix, String beanName, BeanDefinition definition) {
        if (registry.containsBeanDefinition(beanName)) {
            BeanDefinition existing = registry.getBeanDefinition(beanName);
            String what = existing.getResourceDescription() != null ? existing.getResourceDescription()
                    : existing.getBeanClassName() != null ? existing.getBeanClassName() : "the application";
            throw new SecurenetConfigurationException(prefix,
                    "the bean name '" + beanName + "' that " + prefix + " needs is already taken by a bean defined in " + what,
                    "Rename the entry " + prefix + " or that bean: each securenet entry becomes a bean of its own name.", null);
        }
        registry.registerBeanDefinition(beanName, definition);
    }
}
