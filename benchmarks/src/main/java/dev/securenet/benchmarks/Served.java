package dev.securenet.benchmarks;

/**
 * A server of either kind listening on 127.0.0.1 until closed.
 *
 * @param port where it listens
 * @param stop stops it
 */
record Served(int port, AutoCloseable stop) implements AutoCloseable {

    @Override
    public void close() throws Exception {
        stop.close();
    }
}
