package dev.securenet.internal.net;

import dev.securenet.SecureConnectionException;
import dev.securenet.SecureConnectionException.Reason;
import java.io.IOException;
import java.util.function.Function;

/** Runs a handshake and reports its outcome to an {@link Observation}. */
public final class Handshakes {

    /** A handshake that yields an established connection or session. */
    @FunctionalInterface
    public interface Handshake<T> {
        T run() throws IOException;
    }

    private Handshakes() {
    }

    /**
     * @param protocolOf the protocol the established connection speaks
     * @return what {@code handshake} established, its outcome reported to {@code observation}
     */
    public static <T> T observed(Observation observation, Handshake<T> handshake, Function<T, String> protocolOf)
            throws IOException {
        Observation.Handshake report = observation.handshakeStarted();
        try {
            T established = handshake.run();
            report.succeeded(protocolOf.apply(established));
            return established;
        } catch (SecureConnectionException e) {
            report.failed(e);
            throw e;
        } catch (IOException | RuntimeException e) {
            report.failed(new SecureConnectionException(Reason.HANDSHAKE_FAILED, "The handshake failed: " + e.getMessage(), e));
            throw e;
        }
    }
}
