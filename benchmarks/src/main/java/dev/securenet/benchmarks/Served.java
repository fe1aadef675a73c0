package dev.securenet.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Servers of either kind listening on 127.0.0.1 until closed: one, or several alike on their own
 * ports, which clients take in turn.
 *
 * @param ports where they listen
 * @param stop  stops them
 */
record Served(List<Integer> ports, AutoCloseable stop) implements AutoCloseable {

    /** One server. */
    Served(int port, AutoCloseable stop) {
        this(List.of(port), stop);
    }

    /** @return the first server's port */
    int port() {
        return ports.get(0);
    }

    /** @return the port of the server for the {@code connection}-th connection */
    int port(long connection) {
        return ports.get((int) (connection % ports.size()));
    }

    /** Starts one server of a kind. */
    @FunctionalInterface
    interface Starter {
        Served start() throws Exception;
    }

    /**
     * @param count how many servers
     * @param kind  starts one
     * @return {@code count} servers alike, on their own ports
     */
    static Served several(int count, Starter kind) throws Exception {
        List<Served> servers = new ArrayList<>();
        AutoCloseable closeAll = () -> {
            for (Served server : servers) {
                server.close();
            }
        };
        try {
            for (int i = 0; i < count; i++) {
                servers.add(kind.start());
            }
        } catch (Exception e) {
            closeAll.close(); // those already listening
            throw e;
        }
        return new Served(servers.stream().map(Served::port).toList(), closeAll);
    }

    @Override
    public void close() throws Exception {
        stop.close();
    }
}
