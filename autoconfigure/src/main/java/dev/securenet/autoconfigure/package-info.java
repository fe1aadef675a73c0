/**
 * Spring Boot auto-configuration: secure sockets and acceptors from {@code securenet.*} properties,
 * with failure analysis for bad configuration and SSL bundle registration for health and metrics.
 */
package dev.securenet.autoconfigure;
