/**
 * Spring Boot auto-configuration for securenet: secure sockets and acceptors from
 * {@code securenet.*} properties. {@link dev.securenet.autoconfigure.SecurenetProperties} is the
 * configuration; each entry's identity is loaded with Spring Boot's PEM support or taken from an SSL
 * bundle, registered as an SSL bundle for health and metrics, and every bad entry stops startup
 * with a failure analysis naming the property. Uses only the public {@code dev.securenet} API.
 */
package dev.securenet.autoconfigure;
