package dev.securenet.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;

/**
 * Looks up the beans that {@code verifier} and {@code handler} name, failing with an analysis that
 * names the property instead of Spring's generic "a component required a bean".
 */
class BeanReferences {

    private final BeanFactory beans;

    BeanReferences(BeanFactory beans) {
        this.beans = beans;
    }

    /**
     * @param property the property holding the name, e.g. {@code securenet.acceptors.hello.handler}
     * @param name     the bean's name
     * @param type     what the bean must be
     * @return the bean
     * @throws SecurenetConfigurationException if there is no such bean or it is of another type
     */
    <T> T get(String property, String name, Class<T> type) {
        try {
            return beans.getBean(name, type);
        } catch (BeanNotOfRequiredTypeException e) {
            throw new SecurenetConfigurationException(property, "bean '" + name + "' is a "
                    + e.getActualType().getName() + ", not a " + type.getName(),
                    "Name a bean that implements " + type.getName() + ".", e);
        } catch (NoSuchBeanDefinitionException e) {
            throw new SecurenetConfigurationException(property, "there is no bean named '" + name + "'",
                    "Define a " + type.getSimpleName() + " bean named '" + name + "', or fix " + property + ".", e);
        }
    }
}
