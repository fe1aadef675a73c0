package dev.securenet.autoconfigure;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code securenet} health: one component per endpoint. An acceptor is DOWN while it does not
 * listen; an endpoint whose own certificate has expired is OUT_OF_SERVICE (as Boot's {@code ssl}
 * health reports it); one whose new certificate files were refused is {@value #DEGRADED} (it still
 * serves the previous certificate) until good files arrive; otherwise UP. Details: protocol,
 * address, certificate subject and expiry, days left, and a warning within the threshold.
 */
class EndpointHealthContributor implements CompositeHealthContributor {

    /** Serving, but on the previous certificate: its rotation was refused. */
    static final String DEGRADED = "DEGRADED";

    private final SecurenetEndpoints endpoints;
    private final Duration warningThreshold;
    private final Clock clock;

    EndpointHealthContributor(SecurenetEndpoints endpoints, Duration warningThreshold, Clock clock) {
        this.endpoints = endpoints;
        this.warningThreshold = warningThreshold;
        this.clock = clock;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return endpoints.states().stream().filter(state -> state.name().equals(name)).findFirst()
                .map(this::indicator).orElse(null);
    }

    @Override
    public Stream<Entry> stream() {
        return endpoints.states().stream().map(state -> new Entry(state.name(), indicator(state)));
    }

    private HealthIndicator indicator(EndpointState state) {
        return () -> health(state);
    }

    private Health health(EndpointState state) {
        Health.Builder health = new Health.Builder(Status.UP);
        health.withDetail("kind", state.isAcceptor() ? "acceptor" : "socket").withDetail("protocol", state.protocol());
        state.address().ifPresent(address -> health.withDetail("address", address.toString()));
        if (state.isAcceptor()) {
            health.withDetail("listening", state.isListening());
        }
        List<X509Certificate> chain = state.chain();
        Instant now = clock.instant();
        boolean expired = false;
        if (!chain.isEmpty()) {
            X509Certificate leaf = chain.get(0);
            Instant notAfter = leaf.getNotAfter().toInstant();
            long daysLeft = Duration.between(now, notAfter).toDays();
            health.withDetail("certificate", leaf.getSubjectX500Principal().getName())
                    .withDetail("notAfter", notAfter.toString())
                    .withDetail("daysUntilExpiry", daysLeft);
            expired = now.isAfter(notAfter);
            if (!expired && Duration.between(now, notAfter).compareTo(warningThreshold) < 0) {
                health.withDetail("warning", "the certificate expires within " + warningThreshold.toDays() + " days");
            }
        }
        state.rotatedAt().ifPresent(at -> health.withDetail("rotatedAt", at.toString()));
        state.rotationRefused().ifPresent(why -> health.withDetail("rotationRefused", why));
        if (state.isAcceptor() && !state.isListening()) {
            return health.down().build();
        }
        if (expired) {
            return health.outOfService().build();
        }
        if (state.rotationRefused().isPresent()) {
            return health.status(new Status(DEGRADED, "new certificate files were refused; the previous ones are in use")).build();
        }
        return health.build();
    }
}
