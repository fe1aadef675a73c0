package dev.securenet.internal.tls;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Client state shared by every socket with the same settings, so that a program opening many
 * sockets builds its trust store and policy once and resumes sessions: TLS engines and DTLS contexts. Sharing
 * is safe because the key is the whole trust decision (anchors, verifier instance, identity), and
 * JSSE keys resumption by the verified host and port. Bounded, least recently used first out.
 */
public final class ClientEngines {

    private static final Cache<TlsEngine> TLS = new Cache<>();
    private static final Cache<DtlsContext> DTLS = new Cache<>();

    /**
     * A DTLS client configuration's context and policy, both asked of the provider once.
     *
     * @param context the "DTLS" context, whose session cache its sockets share
     * @param policy  the policy's parameters: each connection gets a copy ({@link TlsPolicy#copyOf})
     */
    public record DtlsContext(SSLContext context, SSLParameters policy) {
    }

    private ClientEngines() {
    }

    /**
     * @param settings a client's settings
     * @return the TLS engine for them, built on first use
     */
    public static TlsEngine forSettings(TlsSettings settings) {
        return TLS.get(settings, JsseTlsEngine::forClient);
    }

    /**
     * @param settings a client's settings
     * @return the "DTLS" context and policy for them, built on first use
     */
    public static DtlsContext dtlsContext(TlsSettings settings) {
        return DTLS.get(settings, key -> {
            SSLContext context = JsseContexts.client("DTLS", key);
            return new DtlsContext(context, TlsPolicy.dtls(context, key.finiteFieldDhe()));
        });
    }

    private static final class Cache<V> {

        private static final int CAPACITY = 64;

        private final Map<TlsSettings, V> entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<TlsSettings, V> eldest) {
                return size() > CAPACITY;
            }
        };

        synchronized V get(TlsSettings settings, Function<TlsSettings, V> build) {
            return entries.computeIfAbsent(settings, build);
        }
    }
}
