package dev.securenet.benchmarks;

import java.time.Duration;

/**
 * One side of a comparison, set up once: securenet, or the raw JDK doing the same work.
 */
interface Side extends AutoCloseable {

    /** What one measurement found. */
    record Result(double perSecond, double resumedShare, long lost) {
    }

    /**
     * Does the scenario's work for about {@code duration}.
     *
     * @return operations (or MiB) a second, the share of connections that resumed a session, and
     *         messages lost on the way
     */
    Result run(Duration duration) throws Exception;

    @Override
    void close() throws Exception;
}
