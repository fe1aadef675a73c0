package dev.securenet.autoconfigure;

import dev.securenet.EndpointObserver;
import dev.securenet.HandshakeObserver;
import dev.securenet.SecureConnectionException;
import java.util.List;

/**
 * Contributes an {@link EndpointObserver} for each endpoint the starter makes: metrics, tracing.
 * Beans of this type are optional integrations; every endpoint hears all of them.
 */
interface EndpointObservers {

    /**
     * @param endpoint the endpoint about to be configured
     * @return what observes it, or {@link EndpointObserver#NONE}
     */
    EndpointObserver observe(ObservedEndpoint endpoint);

    /**
     * An endpoint as metrics and traces name it.
     *
     * @param name     the entry's name
     * @param role     "server" (acceptors) or "client" (sockets)
     * @param protocol "tls" or "dtls"
     */
    record ObservedEndpoint(String name, String role, String protocol) {
    }

    /** @return one observer telling all of {@code observers}, in order */
    static EndpointObserver all(List<EndpointObserver> observers) {
        List<EndpointObserver> active = observers.stream().filter(observer -> observer != EndpointObserver.NONE).toList();
        if (active.isEmpty()) {
            return EndpointObserver.NONE;
        }
        if (active.size() == 1) {
            return active.get(0);
        }
        return new EndpointObserver() {
            @Override
            public HandshakeObserver handshakeStarted() {
                List<HandshakeObserver> handshakes = active.stream().map(EndpointObserver::handshakeStarted).toList();
                return new HandshakeObserver() {
                    @Override
                    public void succeeded(String protocol) {
                        handshakes.forEach(handshake -> handshake.succeeded(protocol));
                    }

                    @Override
                    public void failed(SecureConnectionException failure) {
                        handshakes.forEach(handshake -> handshake.failed(failure));
                    }
                };
            }

            @Override
            public void connectionOpened() {
                active.forEach(EndpointObserver::connectionOpened);
            }

            @Override
            public void connectionClosed() {
                active.forEach(EndpointObserver::connectionClosed);
            }

            @Override
            public void bytesReceived(long count) {
                active.forEach(observer -> observer.bytesReceived(count));
            }

            @Override
            public void bytesSent(long count) {
                active.forEach(observer -> observer.bytesSent(count));
            }

            @Override
            public void cookieSent() {
                active.forEach(EndpointObserver::cookieSent);
            }
        };
    }
}
