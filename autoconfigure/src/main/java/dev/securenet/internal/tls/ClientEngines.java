package dev.securenet.internal.tls;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Client engines shared by every socket with the same settings, so that a program opening many
 * sockets builds its trust store once and resumes TLS sessions. Sharing is safe because the key is
 * the whole trust decision (anchors, verifier instance, identity), and JSSE keys resumption by the
 * verified host and port. Bounded, least recently used first out.
 */
public final class ClientEngines {

    private static final int CAPACITY = 64;

    private static final Map<TlsSettings, TlsEngine> ENGINES = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<TlsSettings, TlsEngine> eldest) {
            return size() > CAPACITY;
        }
    };

    private ClientEngines() {
    }

    /**
     * @param settings a client's settings
     * @return the engine for them, built on first use
     */
    public static TlsEngine forSettings(TlsSettings settings) {
        synchronized (ENGINES) {
            return ENGINES.computeIfAbsent(settings, JsseTlsEngine::forClient);
        }
    }
}
