package dev.securenet.benchmarks;

import dev.securenet.TlsProvider;
import java.util.Locale;

/**
 * A workload run by securenet and by the raw JDK, in one process, alternately.
 *
 * @param name       how the table names it
 * @param unit       what {@link Side.Result#perSecond()} counts
 * @param fullOnly   whether sessions must not resume (run where every session cache holds one
 *                   session, TLS 1.3 servers keep no tickets, and connections alternate between two
 *                   host names; the table shows the share that resumed all the same)
 * @param securenet  sets up securenet's side
 * @param raw        sets up the raw JDK's side, sharing no code with securenet
 * @param provider   the TLS provider of securenet's endpoints (the JVM's default, set for the
 *                   scenario's JVM); the raw side is always the JDK's
 * @param correttoCrypto whether the scenario's JVM installs the Amazon Corretto Crypto Provider
 *                   first: JVM-wide, so under both sides' JDK TLS alike
 */
record Scenario(String name, String unit, boolean fullOnly, Factory securenet, Factory raw, TlsProvider provider,
                boolean correttoCrypto) {

    /** A scenario with securenet on the JDK's provider and the JDK's own primitives. */
    Scenario(String name, String unit, boolean fullOnly, Factory securenet, Factory raw) {
        this(name, unit, fullOnly, securenet, raw, TlsProvider.JDK, false);
    }

    /** @return this scenario with securenet's TCP endpoints on {@code other}, named after it */
    Scenario on(TlsProvider other) {
        return new Scenario(other.name().toLowerCase(Locale.ROOT) + "-" + name, unit, fullOnly, securenet, raw, other,
                correttoCrypto);
    }

    /** @return this scenario in a JVM with the Amazon Corretto Crypto Provider installed, named after it */
    Scenario onCorrettoCrypto() {
        return new Scenario("corretto-" + name, unit, fullOnly, securenet, raw, provider, true);
    }

    /** Sets up one side. */
    @FunctionalInterface
    interface Factory {
        Side create() throws Exception;
    }
}
