package dev.securenet.autoconfigure;

import dev.securenet.autoconfigure.SecurenetProperties.Acceptor;
import dev.securenet.autoconfigure.SecurenetProperties.Endpoint;
import dev.securenet.autoconfigure.SecurenetProperties.Protocol;
import dev.securenet.autoconfigure.SecurenetProperties.Socket;
import java.beans.PropertyDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses, before any endpoint exists, every {@code securenet.*} setting that would otherwise be
 * ignored or misread: unknown keys (a typo must never turn a check off), settings the entry's
 * protocol does not have, values out of range, and names that clash. Each refusal names the
 * property and says what to write instead.
 */
final class SecurenetConfigurationChecks {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("securenet");
    private static final List<String> KINDS = List.of("acceptors", "sockets");
    /** Settings of securenet.* itself, beside the entries. */
    private static final List<String> ROOT_SETTINGS = List.of("tls-provider", "install-corretto-crypto-provider");

    private SecurenetConfigurationChecks() {
    }

    /**
     * @param entries     the bound {@code securenet.*} properties
     * @param environment where they came from, for the keys that bound to nothing
     * @throws SecurenetConfigurationException for the first problem found
     */
    static void check(SecurenetProperties entries, Environment environment) {
        unknownKeys(environment);
        for (String name : entries.getSockets().keySet()) {
            if (entries.getAcceptors().containsKey(name)) {
                throw new SecurenetConfigurationException(SecurenetEndpoints.socketPrefix(name),
                        "'" + name + "' names both an acceptor and a socket, and each becomes a bean of that name",
                        "Rename one of securenet.acceptors." + name + " and securenet.sockets." + name + ".", null);
            }
        }
        entries.getAcceptors().forEach((name, entry) -> {
            String prefix = SecurenetEndpoints.acceptorPrefix(name);
            protocolSettings(prefix, entry);
            values(prefix, entry);
            range(prefix + ".port", entry.getPort(), 0, 65535, "the local port (0 picks a free one)");
            atLeastOne(prefix + ".backlog", entry.getBacklog());
            range(prefix + ".max-connections", entry.getMaxConnections(), 1, Integer.MAX_VALUE, "how many connections are served at once");
            atLeastOne(prefix + ".max-peers", entry.getMaxPeers());
            atLeastOne(prefix + ".max-pending-handshakes", entry.getMaxPendingHandshakes());
            atLeastOne(prefix + ".max-pending-handshakes-per-address", entry.getMaxPendingHandshakesPerAddress());
            atLeastOne(prefix + ".backlog-per-address", entry.getBacklogPerAddress());
            positive(prefix + ".idle-timeout", entry.getIdleTimeout());
            positive(prefix + ".read-timeout", entry.getReadTimeout());
        });
        entries.getSockets().forEach((name, entry) -> {
            String prefix = SecurenetEndpoints.socketPrefix(name);
            protocolSettings(prefix, entry);
            values(prefix, entry);
            if (entry.getHost() == null || entry.getHost().isBlank()) {
                throw new SecurenetConfigurationException(prefix + ".host", "no host is configured",
                        "Set " + prefix + ".host to the server's name (the name its certificate carries).", null);
            }
            range(prefix + ".port", entry.getPort(), 1, 65535, "the server's port");
        });
    }

    private static void values(String prefix, Endpoint entry) {
        if (entry.getHandshakeTimeout() == null) {
            throw new SecurenetConfigurationException(prefix + ".handshake-timeout", "no handshake timeout is set",
                    "Set " + prefix + ".handshake-timeout to a positive duration (default 10s), or remove it.", null);
        }
        positive(prefix + ".handshake-timeout", entry.getHandshakeTimeout());
        positive(prefix + ".retransmission-timeout", entry.getRetransmissionTimeout());
        if (entry.getMtu() != null) {
            range(prefix + ".mtu", entry.getMtu(), 256, 65507, "the largest datagram payload in bytes (default 1200)");
        }
    }

    /** A setting the chosen protocol does not have would be silently ignored: refuse it instead. */
    private static void protocolSettings(String prefix, Endpoint entry) {
        boolean dtls = entry.getProtocol() == Protocol.DTLS;
        List<String> foreign = dtls ? entry.tlsOnlySettings() : entry.dtlsOnlySettings();
        if (!foreign.isEmpty()) {
            String other = dtls ? "TLS" : "DTLS";
            throw new SecurenetConfigurationException(prefix + "." + foreign.get(0),
                    String.join(", ", foreign) + (foreign.size() == 1 ? " is a " : " are ") + other + "-only setting"
                            + (foreign.size() == 1 ? "" : "s") + ", and this endpoint's protocol is "
                            + entry.getProtocol().name().toLowerCase(Locale.ROOT),
                    "Remove " + prefix + "." + String.join(" and " + prefix + ".", foreign) + ", or set " + prefix
                            + ".protocol: " + other.toLowerCase(Locale.ROOT) + " if that is what you meant.", null);
        }
    }

    private static void range(String property, int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new SecurenetConfigurationException(property, value + " is out of range",
                    "Set " + property + " to " + what + ", from " + min + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ".", null);
        }
    }

    private static void atLeastOne(String property, Integer value) {
        if (value != null) {
            range(property, value, 1, Integer.MAX_VALUE, "a count");
        }
    }

    private static void positive(String property, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new SecurenetConfigurationException(property, value + " is not a positive duration",
                    "Set " + property + " to a positive duration such as 10s or 500ms, or remove it for the default.", null);
        }
    }

    /** Every key under securenet.* must be one the configuration has: a typo is an error, never a no-op. */
    private static void unknownKeys(Environment environment) {
        Map<String, List<String>> fields = Map.of("acceptors", fieldsOf(Acceptor.class), "sockets", fieldsOf(Socket.class));
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                // environment variables are the whole machine's namespace: there, only the entries'
                // own keys (SECURENET_ACCEPTORS_*, SECURENET_SOCKETS_*) are ours to check
                boolean shared = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
                iterable.filter(ROOT::isAncestorOf).stream()
                        .filter(name -> !shared || name.getNumberOfElements() > 1 && KINDS.contains(name.getElement(1, Form.UNIFORM)))
                        .forEach(name -> checkKey(name, fields));
            }
        }
    }

    private static void checkKey(ConfigurationPropertyName name, Map<String, List<String>> fields) {
        String kind = name.getElement(1, Form.UNIFORM);
        if (name.getNumberOfElements() == 2 && ROOT_SETTINGS.stream().map(SecurenetConfigurationChecks::uniform).toList().contains(kind)) {
            return;
        }
        if (!KINDS.contains(kind)) {
            List<String> candidates = new ArrayList<>(KINDS);
            candidates.addAll(ROOT_SETTINGS);
            unknown(name, 1, candidates, "securenet.acceptors.<name>.*, securenet.sockets.<name>.* and securenet."
                    + String.join(", securenet.", ROOT_SETTINGS));
        }
        if (name.getNumberOfElements() < 4) {
            unknown(name, name.getNumberOfElements() - 1, List.of(), "securenet." + kind + ".<name>.<setting>");
        }
        List<String> known = fields.get(kind);
        String field = name.getElement(3, Form.UNIFORM);
        if (!known.stream().map(SecurenetConfigurationChecks::uniform).toList().contains(field)) {
            unknown(name, 3, known, "one of " + String.join(", ", known));
        }
        if (name.getNumberOfElements() > 4) {
            unknown(name, 4, List.of(), "securenet." + kind + "." + name.getElement(2, Form.ORIGINAL) + "."
                    + name.getElement(3, Form.DASHED) + " (it has no sub-settings)");
        }
    }

    private static void unknown(ConfigurationPropertyName name, int element, List<String> candidates, String valid) {
        String typed = name.getElement(element, Form.DASHED);
        String nearest = candidates.stream()
                .min(Comparator.comparingInt(candidate -> distance(uniform(candidate), uniform(typed))))
                .filter(candidate -> distance(uniform(candidate), uniform(typed)) <= Math.max(2, typed.length() / 3))
                .orElse(null);
        throw new SecurenetConfigurationException(name.toString(),
                "'" + name + "' is not a securenet setting, so it would be ignored",
                (nearest == null ? "" : "Did you mean '" + replaced(name, element, nearest) + "'? ")
                        + "Valid here: " + valid + ". Remove or correct the key: securenet never ignores a setting.", null);
    }

    private static String replaced(ConfigurationPropertyName name, int element, String replacement) {
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            elements.add(i == element ? replacement : name.getElement(i, Form.ORIGINAL));
        }
        return String.join(".", elements);
    }

    /** @return the settings of a value type, in kebab case */
    private static List<String> fieldsOf(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            if (property.getWriteMethod() != null) {
                names.add(DataObjectPropertyName.toDashedForm(property.getName()));
            }
        }
        names.sort(null);
        return names;
    }

    private static String uniform(String name) {
        return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
