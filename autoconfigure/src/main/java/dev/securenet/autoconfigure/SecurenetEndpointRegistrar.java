package dev.securenet.autoconfigure;

import java.util.HashSet;
import java.util.Set;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import dev.securenet.TcpAcceptor;
import dev.securenet.UdpAcceptor;
import dev.securenet.autoconfigure.SecurenetProperties.Protocol;
import java.io.Closeable;

/**
 * Registers one bean per {@code securenet.*} entry, named after it, so that services inject them
 * by name. A bean the application already defines under that name wins.
 */
class SecurenetEndpointRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private Environment environment;
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        SecurenetProperties entries = Binder.get(environment).bind("securenet", SecurenetProperties.class)
                .orElseGet(SecurenetProperties::new);
        Set<String> acceptorNames = new HashSet<>(entries.getAcceptors().keySet());
        for (String name : entries.getSockets().keySet()) {
            if (acceptorNames.contains(name)) {
                throw new SecurenetConfigurationException("securenet.sockets." + name,
                        "'" + name + "' names both an acceptor and a socket, and each becomes a bean of that name",
                        "Rename one of securenet.acceptors." + name + " and securenet.sockets." + name + ".", null);
            }
        }
        entries.getAcceptors().forEach((name, entry) -> {
            if (registry.containsBeanDefinition(name)) {
                return; // the application's own bean, bound and served by the application
            }
            Class<? extends Closeable> type = entry.getProtocol() == Protocol.DTLS ? UdpAcceptor.class : TcpAcceptor.class;
            registerAcceptor(registry, name, type);
        });
        entries.getSockets().forEach((name, entry) -> {
            if (!registry.containsBeanDefinition(name)) {
                Class<?> type = entry.getProtocol() == Protocol.DTLS ? UdpSocketFactory.class : TcpSocketFactory.class;
                registerSocketFactory(registry, name, type);
            }
        });
    }

    private <T extends Closeable> void registerAcceptor(BeanDefinitionRegistry registry, String name, Class<T> type) {
        RootBeanDefinition acceptor = new RootBeanDefinition(type, () -> type.cast(endpoints().acceptor(name)));
        acceptor.setDestroyMethodName("close");
        registry.registerBeanDefinition(name, acceptor);
        RootBeanDefinition lifecycle = new RootBeanDefinition(AcceptorLifecycle.class,
                () -> endpoints().lifecycle(name, beanFactory.getBean(name, type)));
        registry.registerBeanDefinition("securenet.acceptors." + name + ".lifecycle", lifecycle);
    }

    private <T> void registerSocketFactory(BeanDefinitionRegistry registry, String name, Class<T> type) {
        registry.registerBeanDefinition(name, new RootBeanDefinition(type, () -> type.cast(endpoints().socketFactory(name))));
    }

    private SecurenetEndpoints endpoints() {
        return beanFactory.getBean(SecurenetEndpoints.class);
    }
}
