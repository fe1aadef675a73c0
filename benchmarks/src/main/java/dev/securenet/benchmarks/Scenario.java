package dev.securenet.benchmarks;

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
 */
record Scenario(String name, String unit, boolean fullOnly, Factory securenet, Factory raw) {

    /** Sets up one side. */
    @FunctionalInterface
    interface Factory {
        Side create() throws Exception;
    }
}
