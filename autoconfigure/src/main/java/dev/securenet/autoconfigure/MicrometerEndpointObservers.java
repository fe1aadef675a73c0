package dev.securenet.autoconfigure;

import dev.securenet.EndpointObserver;
import dev.securenet.HandshakeObserver;
import dev.securenet.SecureConnectionException;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer for every endpoint: an {@link Observation} {@value #HANDSHAKES} around each handshake
 * (Boot's meter handler turns it into a timer of that name; tracing into a span), and the meters
 * {@value #CONNECTIONS} (gauge), {@value #BYTES} (counter) and, for DTLS acceptors,
 * {@value #PEERS} (gauge: associations established or handshaking) and {@value #COOKIES} (counter). Tags: endpoint, role, protocol; handshakes also outcome and reason;
 * bytes also direction.
 */
class MicrometerEndpointObservers implements EndpointObservers {

    static final String HANDSHAKES = "securenet.handshakes";
    static final String CONNECTIONS = "securenet.connections.active";
    static final String BYTES = "securenet.bytes";
    static final String COOKIES = "securenet.dtls.cookie.exchanges";
    static final String PEERS = "securenet.dtls.peers";

    private final MeterRegistry meters;
    private final ObservationRegistry observations;

    /**
     * @param observations where handshake observations go; {@link ObservationRegistry#NOOP} when the
     *                     application has none (then no handshake timer either)
     */
    MicrometerEndpointObservers(MeterRegistry meters, ObservationRegistry observations) {
        this.meters = meters;
        this.observations = observations;
    }

    @Override
    public EndpointObserver observe(ObservedEndpoint endpoint) {
        Tags tags = Tags.of("endpoint", endpoint.name(), "role", endpoint.role(), "protocol", endpoint.protocol());
        AtomicLong open = new AtomicLong();
        Gauge.builder(CONNECTIONS, open, AtomicLong::get).tags(tags)
                .description("Established connections (DTLS: associations) of a securenet endpoint").register(meters);
        Counter received = Counter.builder(BYTES).tags(tags).tag("direction", "in").baseUnit("bytes")
                .description("Application bytes carried by a securenet endpoint").register(meters);
        Counter sent = Counter.builder(BYTES).tags(tags).tag("direction", "out").baseUnit("bytes")
                .description("Application bytes carried by a securenet endpoint").register(meters);
        AtomicLong handshaking = new AtomicLong();
        boolean dtlsAcceptor = "dtls".equals(endpoint.protocol()) && "server".equals(endpoint.role());
        if (dtlsAcceptor) {
            Gauge.builder(PEERS, () -> handshaking.get() + open.get()).tags(tags)
                    .description("Peers of a DTLS acceptor: associations established or handshaking").register(meters);
        }
        Counter cookies = dtlsAcceptor ? Counter.builder(COOKIES).tags(tags)
                .description("Cookies (HelloVerifyRequests) sent to unproven addresses").register(meters) : null;
        return new EndpointObserver() {
            @Override
            public HandshakeObserver handshakeStarted() {
                Observation observation = Observation.createNotStarted(HANDSHAKES, observations)
                        .contextualName(endpoint.protocol() + " handshake")
                        .lowCardinalityKeyValues(KeyValues.of("endpoint", endpoint.name(), "role", endpoint.role(),
                                "protocol", endpoint.protocol()))
                        .start();
                handshaking.incrementAndGet();
                return new HandshakeObserver() {
                    @Override
                    public void succeeded(String protocol) {
                        handshaking.decrementAndGet();
                        observation.lowCardinalityKeyValue("outcome", "success").lowCardinalityKeyValue("reason", "none")
                                .highCardinalityKeyValue("version", protocol);
                        observation.stop();
                    }

                    @Override
                    public void failed(SecureConnectionException failure) {
                        handshaking.decrementAndGet();
                        observation.lowCardinalityKeyValue("outcome", "failure")
                                .lowCardinalityKeyValue("reason", failure.reason().name().toLowerCase(Locale.ROOT));
                        observation.error(failure);
                        observation.stop();
                    }
                };
            }

            @Override
            public void connectionOpened() {
                open.incrementAndGet();
            }

            @Override
            public void connectionClosed() {
                open.decrementAndGet();
            }

            @Override
            public void bytesReceived(long count) {
                received.increment(count);
            }

            @Override
            public void bytesSent(long count) {
                sent.increment(count);
            }

            @Override
            public void cookieSent() {
                if (cookies != null) {
                    cookies.increment();
                }
            }
        };
    }
}
