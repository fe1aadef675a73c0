package dev.securenet.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A UDP relay on 127.0.0.1 between one client and a server, for tests: it can drop a share of the
 * datagrams each way, records what the client sent, and injects datagrams towards the server from
 * the relay's own address (which the server takes for the client's).
 */
public final class UdpRelay implements AutoCloseable {

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final Random random;
    private final double loss;
    private final List<byte[]> fromClient = new CopyOnWriteArrayList<>();
    private final List<byte[]> fromServer = new CopyOnWriteArrayList<>();
    private final List<Relayed> relayed = new CopyOnWriteArrayList<>();
    private volatile Predicate<byte[]> dropToClient = datagram -> false;
    private volatile SocketAddress client;
    private volatile boolean closed;

    /**
     * @param server where to relay to
     * @param loss   the share of datagrams dropped in each direction, 0 to 1
     * @param seed   for the drop decisions
     */
    public UdpRelay(InetSocketAddress server, double loss, long seed) throws IOException {
        this.front = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.back = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.back.connect(server);
        this.random = new Random(seed);
        this.loss = loss;
        start("relay-to-server", this::toServer);
        start("relay-to-client", this::toClient);
    }

    private static void start(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized boolean drop() {
        return random.nextDouble() < loss;
    }

    private void toServer() {
        byte[] buffer = new byte[65_535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                front.receive(packet);
                client = packet.getSocketAddress();
                byte[] datagram = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                fromClient.add(datagram);
                relayed.add(new Relayed(true, datagram));
                if (!drop()) {
                    back.send(new DatagramPacket(datagram, datagram.length));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void toClient() {
        byte[] buffer = new byte[65_535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                back.receive(packet);
                SocketAddress destination = client;
                byte[] datagram = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                fromServer.add(datagram);
                relayed.add(new Relayed(false, datagram));
                if (destination != null && !drop() && !dropToClient.test(datagram)) {
                    front.send(new DatagramPacket(packet.getData(), packet.getLength(), destination));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** @return the relay's client-facing port */
    public int port() {
        return front.getLocalPort();
    }

    /** @return every datagram the client sent, in order */
    public List<byte[]> fromClient() {
        return List.copyOf(fromClient);
    }

    /**
     * A datagram the relay passed (or dropped), in the order the relay saw them.
     *
     * @param fromClient whether the client sent it
     */
    public record Relayed(boolean fromClient, byte[] datagram) {
    }

    /** @return every datagram either side sent, in the order the relay received them */
    public List<Relayed> relayed() {
        return List.copyOf(relayed);
    }

    /** @return every datagram the server sent, in order (including those dropped on the way) */
    public List<byte[]> fromServer() {
        return List.copyOf(fromServer);
    }

    /** Drops the datagrams from the server that {@code drop} says, besides the random loss. */
    public void dropToClient(Predicate<byte[]> drop) {
        this.dropToClient = drop;
    }

    /** Sends a datagram to the client as if the server had sent it. */
    public void injectToClient(byte[] datagram) throws IOException {
        SocketAddress destination = client;
        if (destination != null) {
            front.send(new DatagramPacket(datagram, datagram.length, destination));
        }
    }

    /** Sends a datagram to the server as if the client had sent it. */
    public void injectToServer(byte[] datagram) throws IOException {
        back.send(new DatagramPacket(datagram, datagram.length));
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        back.close();
    }
}
