package dev.securenet.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * The {@code securenet} info: each endpoint with its kind, protocol, address and own certificate
 * (subject, issuer, expiry, SHA-256 fingerprint). Never key material.
 */
class EndpointInfoContributor implements InfoContributor {

    private final SecurenetEndpoints endpoints;

    EndpointInfoContributor(SecurenetEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (EndpointState state : endpoints.states()) {
            Map<String, Object> endpoint = new LinkedHashMap<>();
            endpoint.put("kind", state.isAcceptor() ? "acceptor" : "socket");
            endpoint.put("protocol", state.protocol());
            state.address().ifPresent(address -> endpoint.put("address", address.toString()));
            if (!state.chain().isEmpty()) {
                endpoint.put("certificate", EndpointCertificates.describe(state.chain().get(0)));
            }
            all.put(state.name(), endpoint);
        }
        builder.withDetail("securenet", Map.of("endpoints", all));
    }
}
